/**
 * Login: one argon2 verification on every path. An unknown tenant or user is checked against a
 * dummy hash made with the same parameters as real ones, after the same queries, so the answer's
 * timing does not tell which tenants and accounts exist.
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { and, eq } from 'drizzle-orm';
import { hash, verify } from '@node-rs/argon2';
import { withTenant } from './tenant';
import { tenantBySlug, Tenant, User } from './tenants';
import { users } from './schema/users';
import { PLATFORM_TENANT_ID } from './schema/tenants';

let dummy: Promise<string> | undefined;
/** Made once per process (createUser hashes with the same library defaults). */
export const dummyPasswordHash = (): Promise<string> => (dummy ??= hash(randomBytes(32).toString('base64url')));

async function loginUser(pool: Pool, tenantId: number, email: string) {
  const rows = await withTenant(pool, tenantId, ({ db }) =>
    db
      .select({
        id: users.id,
        tenantId: users.tenantId,
        email: users.email,
        role: users.role,
        hash: users.passwordHash,
      })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.email, email.trim().toLowerCase()))),
  );
  return rows[0];
}

/** The tenant and user when the credentials match; undefined otherwise (no hint which part was wrong). */
export async function authenticate(
  pool: Pool,
  input: { tenant: string; email: string; password: string },
): Promise<{ tenant: Tenant; user: User } | undefined> {
  const tenant = await tenantBySlug(pool, input.tenant);
  const active = tenant?.status === 'active' ? tenant : undefined;
  // No such tenant: the same lookup anyway (under the platform tenant, its result unused), so
  // the answer takes as long as for a tenant that exists.
  const row = await loginUser(pool, active?.id ?? PLATFORM_TENANT_ID, input.email);
  const found = active ? row : undefined;
  const matches = await verify(found?.hash ?? (await dummyPasswordHash()), input.password);
  if (!active || !found || !matches) return undefined;
  const { hash: _hash, ...user } = found;
  return { tenant: active, user };
}
