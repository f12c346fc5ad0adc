/**
 * First-run setup after migrations: a `demo` tenant with an admin user, so a newcomer can log
 * in straight away. Returns lines for the ready block (credentials only on the run that made them).
 */
import { randomBytes } from 'node:crypto';
import type { DatabaseHandle } from './database';
import { createPool } from '../db/client';
import { createTenant, createUser, tenantBySlug } from '../db/tenants';

export const DEMO_TENANT = 'demo';
export const DEMO_ADMIN = 'admin@demo.local';

export async function afterMigrate(db: DatabaseHandle): Promise<string[]> {
  const pool = createPool(db.appUrl, { max: 2 });
  try {
    const existing = await tenantBySlug(pool, DEMO_TENANT);
    if (existing) return [`│ Demo tenant  ${DEMO_TENANT} (admin ${DEMO_ADMIN}; password printed on first start)`];
    const tenant = await createTenant(pool, { slug: DEMO_TENANT, name: 'Demo tenant' });
    const password = randomBytes(12).toString('base64url');
    await createUser(pool, tenant.id, { email: DEMO_ADMIN, role: 'admin', password });
    return [
      `│ Demo tenant  ${DEMO_TENANT} created. Log in: POST /api/v1/auth/login`,
      `│              {"tenant":"${DEMO_TENANT}","email":"${DEMO_ADMIN}","password":"${password}"}`,
      '│              (shown once; more users: npx qs user create --tenant demo --email … --role trader)',
    ];
  } finally {
    await pool.end();
  }
}
