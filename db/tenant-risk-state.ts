/**
 * What the castle needs to know of a tenant at decision time, read in one transaction: its
 * status and reconciliation state, every active kill switch, the paper account's cash, the
 * ledger's open positions (priced on the snapshot by the caller) with their realised P&L when
 * touched today, and the lots it has decided to trade today.
 */
import { and, eq, gte, ne, sql } from 'drizzle-orm';
import { decisions, killSwitches, paperAccounts, positions } from './schema';
import type { TenantTx } from './tenant';
import { reconciliationState, tenantFlags } from './trading-state';

export interface TenantRiskRecord {
  readonly status: string;
  readonly reconciliationClean: boolean;
  readonly killSwitches: Array<{ scope: 'tenant' | 'instrument' | 'strategy'; target: string; reason: string }>;
  /** null: no paper account yet (the caller uses the paper broker's starting capital). */
  readonly cash: string | null;
  readonly positions: Array<{ tradingsymbol: string; quantity: number; averagePrice: string }>;
  readonly realisedToday: string;
  readonly lotsToday: number;
}

export async function tenantRiskRecord(tx: TenantTx, tradingDate: string, dayStart: Date): Promise<TenantRiskRecord> {
  const flags = await tenantFlags(tx);
  const recon = await reconciliationState(tx);
  const switches = await tx.db
    .select({ scope: killSwitches.scope, target: killSwitches.target, reason: killSwitches.reason })
    .from(killSwitches)
    .where(and(eq(killSwitches.tenantId, tx.tenantId), eq(killSwitches.active, true)));
  const [account] = await tx.db
    .select({ cash: sql<string | null>`${paperAccounts.exchangeState}->>'cash'` })
    .from(paperAccounts)
    .where(eq(paperAccounts.tenantId, tx.tenantId));
  const open = await tx.db
    .select({
      tradingsymbol: positions.tradingsymbol,
      quantity: positions.quantity,
      averagePrice: positions.averagePrice,
    })
    .from(positions)
    .where(and(eq(positions.tenantId, tx.tenantId), ne(positions.quantity, 0)));
  const [realised] = await tx.db
    .select({ total: sql<string>`COALESCE(SUM(${positions.realizedPnl}), 0)::text` })
    .from(positions)
    .where(and(eq(positions.tenantId, tx.tenantId), gte(positions.updatedAt, dayStart)));
  const [lots] = await tx.db
    .select({ total: sql<number>`COALESCE(SUM(${decisions.lots}), 0)::int` })
    .from(decisions)
    .where(
      and(
        eq(decisions.tenantId, tx.tenantId),
        eq(decisions.tradingDate, tradingDate),
        sql`${decisions.status} IN ('trade', 'placing', 'filled')`,
      ),
    );
  return {
    status: flags?.status ?? 'unknown',
    reconciliationClean: recon?.clean ?? true,
    killSwitches: switches,
    cash: account?.cash ?? null,
    positions: open,
    realisedToday: realised?.total ?? '0',
    lotsToday: lots?.total ?? 0,
  };
}
