/**
 * Invitations and password resets: single-use tokens with an expiry. Only a SHA-256 digest is
 * stored; the token itself is shown once to the admin who made it. Redeeming marks the row used
 * and makes the change in one transaction (a second redemption finds nothing), audited.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { hash } from '@node-rs/argon2';
import { withTenant } from './tenant';
import { auditIn } from './audit';
import { tenantBySlug } from './tenants';
import type { UserRole } from './schema/users';

export const INVITE_TTL_HOURS = 72;
export const RESET_TTL_HOURS = 1;

export class TokenRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRefused';
  }
}

const digestOf = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

export interface TenantUser {
  id: number;
  email: string;
  role: UserRole;
  createdAt: Date;
}

export async function listUsers(pool: Pool, tenantId: number): Promise<TenantUser[]> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query<TenantUser>(
      'SELECT id, email, role, created_at AS "createdAt" FROM users WHERE tenant_id = $1 ORDER BY id',
      [tenantId],
    );
    return rows;
  });
}

export async function inviteUser(
  pool: Pool,
  tenantId: number,
  invite: { email: string; role: UserRole; actorUserId: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  return withTenant(pool, tenantId, async ({ client }) => {
    const exists = await client.query('SELECT 1 FROM users WHERE tenant_id = $1 AND email = $2', [
      tenantId,
      invite.email,
    ]);
    if (exists.rows.length > 0) throw new TokenRefused(`email: a user "${invite.email}" already exists`);
    const { rows } = await client.query<{ expiresAt: Date }>(
      `INSERT INTO user_tokens (tenant_id, digest, purpose, email, role, created_by, expires_at)
       VALUES ($1, $2, 'invite', $3, $4, $5, now() + make_interval(hours => $6)) RETURNING expires_at AS "expiresAt"`,
      [tenantId, digestOf(token), invite.email, invite.role, invite.actorUserId, INVITE_TTL_HOURS],
    );
    await auditIn(client, tenantId, invite.actorUserId, 'user.invited', { email: invite.email, role: invite.role });
    return { token, expiresAt: rows[0].expiresAt };
  });
}

export async function issuePasswordReset(
  pool: Pool,
  tenantId: number,
  reset: { userId: number; actorUserId: number },
): Promise<{ token: string; expiresAt: Date } | undefined> {
  const token = newToken();
  return withTenant(pool, tenantId, async ({ client }) => {
    const user = await client.query<{ email: string }>('SELECT email FROM users WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      reset.userId,
    ]);
    if (user.rows.length === 0) return undefined;
    const { rows } = await client.query<{ expiresAt: Date }>(
      `INSERT INTO user_tokens (tenant_id, digest, purpose, email, user_id, created_by, expires_at)
       VALUES ($1, $2, 'reset', $3, $4, $5, now() + make_interval(hours => $6)) RETURNING expires_at AS "expiresAt"`,
      [tenantId, digestOf(token), user.rows[0].email, reset.userId, reset.actorUserId, RESET_TTL_HOURS],
    );
    await auditIn(client, tenantId, reset.actorUserId, 'user.password_reset_issued', { userId: reset.userId });
    return { token, expiresAt: rows[0].expiresAt };
  });
}

/**
 * Redeems a token of `purpose` in the tenant named by `slug`: an invitation creates the user, a
 * reset sets the password. Unknown, used and expired tokens get the same refusal.
 */
export async function redeemToken(
  pool: Pool,
  input: { slug: string; token: string; password: string; purpose: 'invite' | 'reset' },
): Promise<{ userId: number; email: string }> {
  const refused = new TokenRefused('token: unknown, used or expired');
  const tenant = await tenantBySlug(pool, input.slug);
  const passwordHash = await hash(input.password); // before the lookup, so timing says nothing
  if (!tenant || tenant.status !== 'active' || tenant.id === 0) throw refused;
  return withTenant(pool, tenant.id, async ({ client }) => {
    const { rows } = await client.query<{ email: string; role: UserRole | null; userId: number | null }>(
      `UPDATE user_tokens SET used_at = now()
        WHERE tenant_id = $1 AND digest = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > now()
        RETURNING email, role, user_id AS "userId"`,
      [tenant.id, digestOf(input.token), input.purpose],
    );
    const t = rows[0];
    if (!t) throw refused;
    if (input.purpose === 'invite') {
      const created = await client.query<{ id: number }>(
        `INSERT INTO users (tenant_id, email, password_hash, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, email) DO NOTHING RETURNING id`,
        [tenant.id, t.email, passwordHash, t.role],
      );
      if (created.rows.length === 0) throw refused;
      await auditIn(client, tenant.id, created.rows[0].id, 'user.invitation_accepted', {
        email: t.email,
        role: t.role,
      });
      return { userId: created.rows[0].id, email: t.email };
    }
    const updated = await client.query('UPDATE users SET password_hash = $3 WHERE tenant_id = $1 AND id = $2', [
      tenant.id,
      t.userId,
      passwordHash,
    ]);
    if (updated.rowCount !== 1) throw refused;
    await auditIn(client, tenant.id, t.userId, 'user.password_reset', { email: t.email });
    return { userId: t.userId!, email: t.email };
  });
}

/** Changes a user's role; the tenant keeps at least one admin. */
export async function changeRole(
  pool: Pool,
  tenantId: number,
  change: { userId: number; role: UserRole; actorUserId: number },
): Promise<TenantUser | undefined> {
  return withTenant(pool, tenantId, async ({ client }) => {
    // Serialise role changes per tenant so two demotions cannot both see "another admin left".
    await client.query("SELECT pg_advisory_xact_lock(hashtext('user_roles'), $1)", [tenantId]);
    const before = await client.query<{ role: UserRole }>('SELECT role FROM users WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      change.userId,
    ]);
    if (before.rows.length === 0) return undefined;
    const was = before.rows[0].role;
    if (was === 'admin' && change.role !== 'admin') {
      const admins = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND role = 'admin'",
        [tenantId],
      );
      if (admins.rows[0].n <= 1) throw new TokenRefused('role: the tenant would be left without an admin');
    }
    const { rows } = await client.query<TenantUser>(
      `UPDATE users SET role = $3 WHERE tenant_id = $1 AND id = $2
       RETURNING id, email, role, created_at AS "createdAt"`,
      [tenantId, change.userId, change.role],
    );
    await auditIn(client, tenantId, change.actorUserId, 'user.role_changed', {
      userId: change.userId,
      from: was,
      to: change.role,
    });
    return rows[0];
  });
}
