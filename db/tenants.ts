/**
 * Tenants and their users. Input is validated up front with messages that name the field, and
 * each change (row + audit entry) commits in one transaction, so a refusal writes nothing.
 */
import type { Pool } from 'pg';
import { asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { hash, verify } from '@node-rs/argon2';
import { createDb } from './client';
import { withNewTenant, withTenant } from './tenant';
import { auditIn } from './audit';
import { USER_ROLES, UserRole } from './schema/users';
import { tenantTradingState } from './schema/risk';
import { identifierText } from './text';
import { PLATFORM_TENANT_ID, PLATFORM_TENANT_SLUG, tenants } from './schema/tenants';

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
  // Names are printed on operators' terminals: no escape sequences or other control characters.
  name: identifierText(100).trim().min(1, 'must not be empty'),
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

const TENANT_COLUMNS = {
  id: tenants.id,
  slug: tenants.slug,
  name: tenants.name,
  status: tenants.status,
  liveArmed: tenants.liveArmed,
  createdAt: tenants.createdAt,
};

export async function createTenant(
  pool: Pool,
  input: { slug: string; name: string },
  actorUserId: number | null = null,
): Promise<Tenant> {
  const { slug, name } = parse(tenantInput, input);
  return withNewTenant(pool, async ({ client, db, enter }) => {
    const [tenant] = await db
      .insert(tenants)
      .values({ slug, name })
      .onConflictDoNothing({ target: tenants.slug })
      .returning(TENANT_COLUMNS);
    if (!tenant) throw new TenantInputError(`slug: a tenant "${slug}" already exists`);
    await enter(tenant.id);
    await db.insert(tenantTradingState).values({ tenantId: tenant.id });
    await auditIn(client, tenant.id, actorUserId, 'tenant.created', { slug, name });
    return tenant;
  });
}

/** Every tenant but the platform's own, in id order. */
export async function listTenants(pool: Pool): Promise<Tenant[]> {
  return createDb(pool)
    .select(TENANT_COLUMNS)
    .from(tenants)
    .where(ne(tenants.id, PLATFORM_TENANT_ID))
    .orderBy(asc(tenants.id));
}

/** The one lookup of a tenant by slug (the platform tenant included: callers decide). */
export async function tenantBySlug(pool: Pool, slug: string): Promise<Tenant | undefined> {
  const rows = await createDb(pool).select(TENANT_COLUMNS).from(tenants).where(eq(tenants.slug, slug));
  return rows[0];
}

/**
 * The tenant a command or request names, or a TenantInputError naming the field. The platform
 * tenant (platform events, operators) is refused unless the caller means it (`platform: true`).
 */
export async function requireTenant(
  pool: Pool,
  slug: string,
  options: { field?: string; platform?: boolean } = {},
): Promise<Tenant> {
  const field = options.field ?? 'tenant';
  const t = await tenantBySlug(pool, slug);
  if (!t) throw new TenantInputError(`${field}: no tenant with slug ${JSON.stringify(slug)} (see \`qs tenant list\`)`);
  if (t.id === PLATFORM_TENANT_ID && !options.platform)
    throw new TenantInputError(
      `${field}: "${PLATFORM_TENANT_SLUG}" is the platform's own tenant, not a trading tenant`,
    );
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
