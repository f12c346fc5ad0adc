/**
 * Tenants and their users. Input is validated up front with messages that name the field, and
 * each change (row + audit entry) commits in one transaction, so a refusal writes nothing.
 */
import type { Pool } from 'pg';
import { z } from 'zod';
import { hash, verify } from '@node-rs/argon2';
import { inTransaction, withTenant } from './tenant';
import { auditIn } from './audit';
import { USER_ROLES, UserRole } from './schema/users';
import { PLATFORM_TENANT_SLUG } from './schema/tenants';

export class TenantInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TenantInputError';
  }
}

export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/,
    'must be 3-40 characters: lowercase letters, digits and hyphens, starting and ending with a letter or digit',
  )
  .refine((s) => s !== PLATFORM_TENANT_SLUG, `"${PLATFORM_TENANT_SLUG}" is reserved`);

const tenantInput = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});
const userInput = z.object({
  email: z.string().trim().toLowerCase().email('must be an email address'),
  role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(', ')}` }),
  password: z.string().min(12, 'must be at least 12 characters'),
});

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new TenantInputError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

export interface Tenant {
  id: number;
  slug: string;
  name: string;
  status: string;
  liveArmed: boolean;
  createdAt: Date;
}

const TENANT_COLUMNS = 'id, slug, name, status, live_armed AS "liveArmed", created_at AS "createdAt"';

export async function createTenant(
  pool: Pool,
  input: { slug: string; name: string },
  actorUserId: number | null = null,
): Promise<Tenant> {
  const { slug, name } = parse(tenantInput, input);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<Tenant>(
      `INSERT INTO tenants (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING ${TENANT_COLUMNS}`,
      [slug, name],
    );
    if (rows.length === 0) throw new TenantInputError(`slug: a tenant "${slug}" already exists`);
    const tenant = rows[0];
    await client.query("SELECT set_config('app.tenant_id', $1, true)", [String(tenant.id)]);
    await client.query('INSERT INTO tenant_trading_state (tenant_id) VALUES ($1)', [tenant.id]);
    await auditIn(client, tenant.id, actorUserId, 'tenant.created', { slug, name });
    return tenant;
  });
}

export async function listTenants(pool: Pool): Promise<Tenant[]> {
  const { rows } = await pool.query<Tenant>(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE id <> 0 ORDER BY id`);
  return rows;
}

export async function tenantBySlug(pool: Pool, slug: string): Promise<Tenant | undefined> {
  const { rows } = await pool.query<Tenant>(`SELECT ${TENANT_COLUMNS} FROM tenants WHERE slug = $1`, [slug]);
  return rows[0];
}

export async function requireTenant(pool: Pool, slug: string): Promise<Tenant> {
  const t = await tenantBySlug(pool, slug);
  if (!t) throw new TenantInputError(`tenant: no tenant with slug "${slug}" (see \`qs tenant list\`)`);
  return t;
}

export interface User {
  id: number;
  tenantId: number;
  email: string;
  role: UserRole;
}

export async function createUser(
  pool: Pool,
  tenantId: number,
  input: { email: string; role: string; password: string },
  actorUserId: number | null = null,
): Promise<User> {
  const { email, role, password } = parse(userInput, input);
  const passwordHash = await hash(password); // argon2id, library defaults
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query<User>(
      `INSERT INTO users (tenant_id, email, password_hash, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, email) DO NOTHING RETURNING id, tenant_id AS "tenantId", email, role`,
      [tenantId, email, passwordHash, role],
    );
    if (rows.length === 0) throw new TenantInputError(`email: a user "${email}" already exists in this tenant`);
    await auditIn(client, tenantId, actorUserId, 'user.created', { userId: rows[0].id, email, role });
    return rows[0];
  });
}

/** The user when the password matches; undefined otherwise (no hint which part was wrong). */
export async function checkPassword(
  pool: Pool,
  tenantId: number,
  email: string,
  password: string,
): Promise<User | undefined> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query<User & { passwordHash: string }>(
      'SELECT id, tenant_id AS "tenantId", email, role, password_hash AS "passwordHash" FROM users WHERE email = $1',
      [email.trim().toLowerCase()],
    );
    const u = rows[0];
    if (!u || !(await verify(u.passwordHash, password))) return undefined;
    return { id: u.id, tenantId: u.tenantId, email: u.email, role: u.role };
  });
}
