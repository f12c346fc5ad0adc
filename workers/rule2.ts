/**
 * Rule 2: the persona worker must never be able to reach a broker. It refuses to boot when
 * any broker credential is visible in its environment (Kite/Zerodha keys and tokens, anything
 * named like an API secret or access token, and QS_SECRETS_KEY, which opens the broker secrets
 * stored in the database), and unless it connects to the database as its own role, qs_persona
 * (no privilege on broker accounts, orders or the paper broker), with the owner's URL absent.
 * Each refusal names the variable, never its value.
 */
import { PERSONA_ROLE } from '../db/persona-role';

const CREDENTIAL_PATTERNS = [
  /^KITE_/i,
  /^ZERODHA_/i,
  /^BROKER_/i,
  /API_SECRET/i,
  /ACCESS_TOKEN/i,
  /REQUEST_TOKEN/i,
  /^QS_SECRETS_KEY$/i,
];

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

/** The persona worker's database: its own role, and no owner credentials beside it. */
export function assertPersonaDatabaseRole(env: NodeJS.ProcessEnv): void {
  if (env.DATABASE_URL)
    throw new Error(
      'Rule 2: the persona worker refuses to boot with DATABASE_URL (the schema owner) in its environment',
    );
  let user = '';
  try {
    user = decodeURIComponent(new URL(env.QS_APP_DATABASE_URL ?? '').username);
  } catch {
    // not a URL: reported below
  }
  if (user !== PERSONA_ROLE)
    throw new Error(
      `Rule 2: the persona worker connects only as ${PERSONA_ROLE}: QS_APP_DATABASE_URL must name that role` +
        (user ? ` (it names ${user})` : ''),
    );
}

/** Everything the persona worker checks before it starts. */
export function assertPersonaIsolation(env: NodeJS.ProcessEnv): void {
  assertNoBrokerCredentials(env);
  assertPersonaDatabaseRole(env);
}
