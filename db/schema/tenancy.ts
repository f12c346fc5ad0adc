/**
 * The one pattern every tenant-scoped table follows: a NOT NULL tenant_id referencing tenants,
 * RLS enabled (FORCE is added by a custom migration), and a policy whose USING and WITH CHECK
 * both compare tenant_id with the transaction's `app.tenant_id`. With no tenant set, the
 * NULLIF turns the setting into NULL and the comparison matches nothing: zero rows, never
 * another tenant's.
 */
import { sql } from 'drizzle-orm';
import { integer, pgPolicy } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

export const currentTenantSql = sql`NULLIF(current_setting('app.tenant_id', true), '')::int`;

export const tenantIdColumn = () =>
  integer('tenant_id')
    .notNull()
    .references(() => tenants.id);

export const tenantIsolation = (table: string) =>
  pgPolicy(`${table}_tenant_isolation`, {
    as: 'permissive',
    for: 'all',
    to: 'public',
    using: sql`tenant_id = ${currentTenantSql}`,
    withCheck: sql`tenant_id = ${currentTenantSql}`,
  });

/**
 * For tables whose rows are either global (tenant_id NULL) or one tenant's variant (the model
 * registry): global rows are visible only with no tenant set, a tenant's rows only to it.
 */
export const globalOrTenantIsolation = (table: string) =>
  pgPolicy(`${table}_tenant_isolation`, {
    as: 'permissive',
    for: 'all',
    to: 'public',
    using: sql`tenant_id IS NOT DISTINCT FROM ${currentTenantSql}`,
    withCheck: sql`tenant_id IS NOT DISTINCT FROM ${currentTenantSql}`,
  });
