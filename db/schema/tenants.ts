/** The tenant directory (not tenant-scoped itself: login resolves a slug before a tenant is set). */
import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const tenants = pgTable(
  'tenants',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    /** Dry-run lock, tenant half: a real broker order needs this AND QS_LIVE_TRADING=true. */
    liveArmed: boolean('live_armed').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('tenants_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'`),
    check('tenants_status', sql`${t.status} IN ('active', 'suspended')`),
  ],
);

/** Platform-level events (global model promotions, operator actions) are audited under this tenant. */
export const PLATFORM_TENANT_ID = 0;
export const PLATFORM_TENANT_SLUG = 'platform';
