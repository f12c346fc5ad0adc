/** A tenant's own risk limits (tenant_limits); no row means the platform defaults. */
import { auditIn } from './audit';
import type { TenantTx } from './tenant';

export interface TenantLimitsRow {
  readonly maxLotsPerOrder: number;
  readonly maxLotsPerDay: number;
  /** Exposure: lots open across every leg (Σ |quantity| / lot size) after a new structure. */
  readonly maxOpenLots: number;
  readonly maxDailyLoss: string;
}

export async function tenantLimits(tx: TenantTx): Promise<TenantLimitsRow | null> {
  const { rows } = await tx.client.query<TenantLimitsRow>(
    `SELECT max_lots_per_order AS "maxLotsPerOrder", max_lots_per_day AS "maxLotsPerDay",
            max_open_lots AS "maxOpenLots", max_daily_loss::text AS "maxDailyLoss"
       FROM tenant_limits WHERE tenant_id = $1`,
    [tx.tenantId],
  );
  return rows[0] ?? null;
}

/** Sets the tenant's limits (audited with the old and new figures). */
export async function setTenantLimits(
  tx: TenantTx,
  limits: TenantLimitsRow,
  by: { userId: number | null; actor: string },
): Promise<void> {
  const before = await tenantLimits(tx);
  await tx.client.query(
    `INSERT INTO tenant_limits (tenant_id, max_lots_per_order, max_lots_per_day, max_open_lots, max_daily_loss)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id) DO UPDATE SET max_lots_per_order = EXCLUDED.max_lots_per_order,
       max_lots_per_day = EXCLUDED.max_lots_per_day, max_open_lots = EXCLUDED.max_open_lots,
       max_daily_loss = EXCLUDED.max_daily_loss, updated_at = now()`,
    [tx.tenantId, limits.maxLotsPerOrder, limits.maxLotsPerDay, limits.maxOpenLots, limits.maxDailyLoss],
  );
  await auditIn(tx.client, tx.tenantId, by.userId, 'limits.set', { before, after: limits, actor: by.actor });
}
