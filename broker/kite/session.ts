/**
 * Kite's login flow, once a day per account: the user opens the login URL, Kite redirects to
 * the app's redirect URL with a `request_token`, and `POST /session/token` (api_key,
 * request_token, checksum = SHA-256(api_key + request_token + api_secret)) exchanges it for the
 * day's access token, which Kite flushes at 06:00 IST the next morning. The token is stored
 * sealed (db/broker-credentials.ts); nothing here prints or logs a secret.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { kiteAccountRow, kiteCredentials, saveKiteSession, sessionVerdictOf } from '../../db/broker-credentials';
import type { KeyProvider } from '../../db/secret-box';
import { withTenant } from '../../db/tenant';
import { BrokerAuthError, BrokerUnavailableError } from '../errors';
import { KITE_TIMEOUT_MS } from './http';
import { kiteTime } from './kite-broker';

export const KITE_LOGIN_URL = 'https://kite.zerodha.com/connect/login';
export const KITE_API_ROOT = 'https://api.kite.trade';

export function kiteLoginUrl(apiKey: string, loginUrl = KITE_LOGIN_URL): string {
  const u = new URL(loginUrl);
  u.searchParams.set('v', '3');
  u.searchParams.set('api_key', apiKey);
  return u.toString();
}

export function sessionChecksum(apiKey: string, requestToken: string, apiSecret: string): string {
  return createHash('sha256').update(`${apiKey}${requestToken}${apiSecret}`, 'utf8').digest('hex');
}

export interface KiteSession {
  accessToken: string;
  userId: string | null;
  issuedAt: Date;
}

/** POST /session/token. A refused request token (used, expired, wrong secret) → BrokerAuthError. */
export async function exchangeRequestToken(args: {
  baseUrl: string;
  apiKey: string;
  apiSecret: string;
  requestToken: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}): Promise<KiteSession> {
  const body = new URLSearchParams({
    api_key: args.apiKey,
    request_token: args.requestToken,
    checksum: sessionChecksum(args.apiKey, args.requestToken, args.apiSecret),
  }).toString();
  let status: number;
  let text: string;
  try {
    const res = await (args.fetchImpl ?? fetch)(new URL('/session/token', args.baseUrl), {
      method: 'POST',
      headers: { 'X-Kite-Version': '3', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(args.timeoutMs ?? KITE_TIMEOUT_MS),
    });
    status = res.status;
    text = await res.text();
  } catch (e) {
    throw new BrokerUnavailableError(`kite POST /session/token: ${(e as Error).message}`, 'NETWORK');
  }
  let env: {
    status?: string;
    error_type?: string;
    message?: string;
    data?: { access_token?: string; user_id?: string; login_time?: string };
  };
  try {
    env = JSON.parse(text);
  } catch {
    throw new BrokerUnavailableError(`kite POST /session/token: HTTP ${status} without a JSON body`, `HTTP_${status}`);
  }
  if (env.status === 'success' && env.data?.access_token)
    return {
      accessToken: env.data.access_token,
      userId: env.data.user_id ?? null,
      issuedAt: new Date(kiteTime(env.data.login_time) ?? Date.now()),
    };
  const type = env.error_type ?? 'GeneralException';
  const detail = `kite POST /session/token: ${type}: ${env.message ?? `HTTP ${status}`}`;
  if (env.error_type === 'TokenException' || env.error_type === 'InputException' || status === 403)
    throw new BrokerAuthError(
      `${detail} (request tokens are single-use and short-lived: log in again)`,
      env.error_type,
    );
  throw new BrokerUnavailableError(detail, env.error_type);
}

/** The login URL for the tenant's Kite app. */
export async function tenantLoginUrl(pool: Pool, tenantId: number): Promise<string> {
  const row = await withTenant(pool, tenantId, kiteAccountRow);
  if (!row?.settings.apiKey) throw new BrokerAuthError('the tenant has no Kite account (qs broker kite setup)');
  return kiteLoginUrl(row.settings.apiKey, row.settings.loginUrl);
}

/** Exchanges a request token for the tenant's session and stores it sealed. */
export async function createTenantSession(
  pool: Pool,
  keys: KeyProvider,
  tenantId: number,
  requestToken: string,
  fetchImpl?: typeof fetch,
): Promise<KiteSession & { expiresAt: Date }> {
  const creds = await withTenant(pool, tenantId, (tx) => kiteCredentials(tx, keys));
  if (!creds?.settings.apiKey || !creds.apiSecret)
    throw new BrokerAuthError('the tenant has no Kite API key and secret (qs broker kite setup)');
  const session = await exchangeRequestToken({
    baseUrl: creds.settings.baseUrl ?? KITE_API_ROOT,
    apiKey: creds.settings.apiKey,
    apiSecret: creds.apiSecret,
    requestToken,
    fetchImpl,
    timeoutMs: creds.settings.timeoutMs,
  });
  await withTenant(pool, tenantId, (tx) => saveKiteSession(tx, keys, session));
  const verdict = sessionVerdictOf(
    { sessionStatus: 'active', sessionReason: null, tokenCreatedAt: session.issuedAt, hasToken: true },
    new Date(),
  );
  return { ...session, expiresAt: verdict.expiresAt! };
}
