/**
 * qs_session tokens: base64url(JSON claims) + "." + HMAC-SHA256, verified in constant time.
 * Stateless on purpose: any API process with the secret can check a session.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  userId: number;
  tenantId: number;
  role: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export const SESSION_COOKIE = 'qs_session';
export const SESSION_TTL_SECONDS = 12 * 3600;

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function issueSession(
  secret: string,
  claims: Omit<SessionClaims, 'exp'>,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const body = Buffer.from(JSON.stringify({ ...claims, exp: nowSeconds + SESSION_TTL_SECONDS })).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

export function verifySession(
  secret: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): SessionClaims | undefined {
  const [body, mac] = token.split('.');
  if (!body || !mac) return undefined;
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionClaims;
    return claims.exp > nowSeconds ? claims : undefined;
  } catch {
    return undefined;
  }
}
