/**
 * Rule 2: the persona worker must never be able to reach a broker. It refuses to boot when any
 * broker credential is visible in its environment.
 */
const CREDENTIAL_PATTERNS = [/^KITE_/i, /^ZERODHA_/i, /^BROKER_/i, /API_SECRET/i, /ACCESS_TOKEN/i, /REQUEST_TOKEN/i];

export function brokerCredentialsIn(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env).filter((k) => env[k] && CREDENTIAL_PATTERNS.some((p) => p.test(k)));
}

export function assertNoBrokerCredentials(env: NodeJS.ProcessEnv): void {
  const found = brokerCredentialsIn(env);
  if (found.length > 0) {
    throw new Error(
      `Rule 2: the persona worker refuses to boot with broker credentials in its environment: ${found.join(', ')}`,
    );
  }
}
