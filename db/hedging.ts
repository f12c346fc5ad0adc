/**
 * The tail hedge's aggregate: a tenant's hedge settings, the protective puts it holds (open
 * long puts bought by PROTECTIVE_PUT decisions, from the ledger's positions) and what its
 * hedges have cost this year (premium paid plus the trades' costs).
 */
import type { Pool } from 'pg';
import { eq, sql } from 'drizzle-orm';
import { HEDGE_STRUCTURE } from '../contracts/hedge';
import { auditIn } from './audit';
import { hedgeSettings } from './schema';
import { forEachTenant, type TenantTx } from './tenant';

export interface HedgeSettingsRow {
  enabled: boolean;
  instrument: 'NIFTY' | 'BANKNIFTY';
  /** Delta points (5 = 0.05). */
  targetDelta: number;
  windowDays: number;
  /** Percent of capital per year, decimal string. */
  budgetPct: string;
  lots: number;
  updatedAt: Date;
}

export type HedgeSettingsPatch = Partial<Omit<HedgeSettingsRow, 'updatedAt'>>;

export async function hedgeSettingsOf(tx: TenantTx): Promise<HedgeSettingsRow | undefined> {
  const [row] = await tx.db.select().from(hedgeSettings).where(eq(hedgeSettings.tenantId, tx.tenantId));
  if (!row) return undefined;
  return {
    enabled: row.enabled,
    instrument: row.instrument as HedgeSettingsRow['instrument'],
    targetDelta: Number(row.targetDelta),
    windowDays: row.windowDays,
    budgetPct: row.budgetPct,
    lots: row.lots,
    updatedAt: row.updatedAt,
  };
}

/** Creates the row with the defaults where absent; only the given fields change. */
export async function saveHedgeSettings(tx: TenantTx, patch: HedgeSettingsPatch): Promise<HedgeSettingsRow> {
  const set = {
    ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
    ...(patch.instrument === undefined ? {} : { instrument: patch.instrument }),
    ...(patch.targetDelta === undefined ? {} : { targetDelta: String(patch.targetDelta) }),
    ...(patch.windowDays === undefined ? {} : { windowDays: patch.windowDays }),
    ...(patch.budgetPct === undefined ? {} : { budgetPct: patch.budgetPct }),
    ...(patch.lots === undefined ? {} : { lots: patch.lots }),
  };
  await tx.db
    .insert(hedgeSettings)
    .values({ tenantId: tx.tenantId, ...set })
    .onConflictDoUpdate({ target: hedgeSettings.tenantId, set: { ...set, updatedAt: sql`now()` } });
  return (await hedgeSettingsOf(tx))!;
}

/** Active tenants with hedging on (a system job: one tenant transaction each). */
export async function hedgingTenantIds(pool: Pool): Promise<number[]> {
  const ids: number[] = [];
  await forEachTenant(pool, async (tx) => {
    if ((await hedgeSettingsOf(tx))?.enabled) ids.push(tx.tenantId);
  });
  return ids;
}

/** Open long puts of the instrument that a PROTECTIVE_PUT decision bought. */
export async function heldHedgePuts(
  tx: TenantTx,
  instrument: string,
): Promise<Array<{ tradingsymbol: string; quantity: number }>> {
  const { rows } = await tx.client.query<{ tradingsymbol: string; quantity: number }>(
    `SELECT p.tradingsymbol, p.quantity FROM positions p
      WHERE p.tenant_id = $1 AND p.instrument = $2 AND p.quantity > 0 AND p.tradingsymbol LIKE '%PE'
        AND EXISTS (SELECT 1 FROM orders o JOIN decisions d ON d.tenant_id = o.tenant_id AND d.id = o.decision_id
                     WHERE o.tenant_id = p.tenant_id AND o.tradingsymbol = p.tradingsymbol AND o.side = 'BUY'
                       AND o.filled_quantity > 0 AND d.structure = $3)
      ORDER BY p.tradingsymbol`,
    [tx.tenantId, instrument, HEDGE_STRUCTURE],
  );
  return rows;
}

/** Premium paid for hedge puts plus the costs of every hedge trade, trading dates from `from` on. */
export async function hedgeSpendSince(tx: TenantTx, from: string): Promise<string> {
  const { rows } = await tx.client.query<{ spent: string }>(
    `WITH hedge AS (
       SELECT id FROM decisions WHERE tenant_id = $1 AND structure = $2 AND trading_date >= $3::date
     ), premium AS (
       SELECT COALESCE(sum(f.quantity * f.price), 0) AS amount
         FROM orders o JOIN fills f ON f.tenant_id = o.tenant_id AND f.order_tag = o.tag
        WHERE o.tenant_id = $1 AND o.side = 'BUY' AND o.decision_id IN (SELECT id FROM hedge)
     ), costs AS (
       SELECT COALESCE(sum(total_costs), 0) AS amount FROM trades
        WHERE tenant_id = $1 AND decision_id IN (SELECT id FROM hedge)
     )
     SELECT round((SELECT amount FROM premium) + (SELECT amount FROM costs), 2)::text AS spent`,
    [tx.tenantId, HEDGE_STRUCTURE, from],
  );
  return rows[0]!.spent;
}

/** An operator's change of the settings, audited in the same transaction. */
export async function changeHedgeSettings(
  tx: TenantTx,
  patch: HedgeSettingsPatch,
  userId: number | null,
): Promise<HedgeSettingsRow> {
  const before = await hedgeSettingsOf(tx);
  const after = await saveHedgeSettings(tx, patch);
  await auditIn(tx.client, tx.tenantId, userId, 'hedge.settings_changed', { before: before ?? null, after });
  return after;
}
