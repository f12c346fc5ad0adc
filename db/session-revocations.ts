/**
 * Logged-out sessions. qs_session tokens are stateless (any API node verifies the HMAC), so a
 * logout records the token's SHA-256 digest until the token would have expired; every node refuses
 * a token found here. The digest, never the token, is stored.
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

export const sessionDigest = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Idempotent: logging out twice is one row. Prunes rows whose tokens have expired anyway. */
export async function revokeSession(pool: Pool, token: string, expiresAt: Date): Promise<void> {
  await pool.query(
    `INSERT INTO session_revocations (digest, expires_at) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING`,
    [sessionDigest(token), expiresAt],
  );
  await pool.query('DELETE FROM session_revocations WHERE expires_at < now()');
}

export async function isSessionRevoked(pool: Pool, token: string): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1 FROM session_revocations WHERE digest = $1', [sessionDigest(token)]);
  return (rowCount ?? 0) > 0;
}
