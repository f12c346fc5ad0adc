/**
 * qs_session tokens: base64url(JSON claims) + "." + HMAC-SHA256 (base64url, 43 characters),
 * verified in constant time. The format is strict: anything but exactly those two parts
 * (whitespace, padding, a third part) is refused before the MAC is computed.
 * Stateless on purpose: any API process with the secret can check a session.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  userId: number;
  tenantId: number;
  role: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /**
   * Random, per login: two logins of a user in the same second must not be the same token, or a
   * logout (which revokes the token) would also end the other.
   */
  sid?: string;
}

export const SESSION_COOKIE = 'qs_session';
export const SESSION_TTL_SECONDS = 12 * 3600;

/** Claims are a few dozen bytes; the bound keeps a forged header from costing an HMAC of kilobytes. */
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{1,1024}\.[A-Za-z0-9_-]{43}$/;

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url');

export function issueSession(
  secret: string,
  claims: Omit<SessionClaims, 'exp'>,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const body = Buffer.from(JSON.stringify({ ...claims, exp: nowSeconds + SESSION_TTL_SECONDS })).toString('base64url');
  return `${body}.${sign(secret, body)}`;
}

const isClaims = (c: unknown): c is SessionClaims => {
  const o = c as Partial<SessionClaims> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    Number.isSafeInteger(o.userId) &&
    Number.isSafeInteger(o.tenantId) &&
    typeof o.role === 'string' &&
    typeof o.exp === 'number'
  );
};

export function verifySession(
  secret: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): SessionClaims | undefined {
  if (!TOKEN_FORMAT.test(token)) return undefined;
  const [body, mac] = token.split('.');
  const expected = Buffer.from(sign(secret, body));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    return isClaims(claims) && claims.exp > nowSeconds ? claims : undefined;
  } catch {
    return undefined;
  }
}
