/**
 * The paper broker's account row (paper_accounts): one JSON state per tenant, read FOR UPDATE
 * so each tenant's exchange is serialised like a venue's sequencer. The shapes of the state,
 * market session and faults belong to the paper broker; this module only stores them.
 */
import { eq, sql } from 'drizzle-orm';
import { paperAccounts } from './schema';
import type { TenantTx } from './tenant';

export interface PaperAccountRow<State, Market, Faults> {
  exchangeState: State;
  market: Market;
  faults: Faults;
}

/** The account's market session without locking it (readers pricing the book); null without an account. */
export async function paperMarketSessionOf<Market>(tx: TenantTx): Promise<Market | null> {
  const [row] = await tx.db
    .select({ market: paperAccounts.market })
    .from(paperAccounts)
    .where(eq(paperAccounts.tenantId, tx.tenantId));
  return (row?.market as Market | undefined) ?? null;
}

/**
 * The tenant's account, locked for the rest of the transaction; created from `initial()` the
 * first time (concurrent creators settle on one row).
 */
export async function lockPaperAccount<State, Market, Faults>(
  tx: TenantTx,
  initial: () => { exchangeState: State; market: Market },
): Promise<PaperAccountRow<State, Market, Faults>> {
  const select = () =>
    tx.db
      .select({
        exchangeState: paperAccounts.exchangeState,
        market: paperAccounts.market,
        faults: paperAccounts.faults,
      })
      .from(paperAccounts)
      .where(eq(paperAccounts.tenantId, tx.tenantId))
      .for('update');
  let [row] = await select();
  if (!row) {
    await tx.db
      .insert(paperAccounts)
      .values({ tenantId: tx.tenantId, ...initial() })
      .onConflictDoNothing({ target: paperAccounts.tenantId });
    [row] = await select();
  }
  return row as PaperAccountRow<State, Market, Faults>;
}

/** Saves the account; only the parts given change. */
export async function savePaperAccount<State, Market, Faults>(
  tx: TenantTx,
  change: Partial<PaperAccountRow<State, Market, Faults>>,
): Promise<void> {
  await tx.db
    .update(paperAccounts)
    .set({ ...change, updatedAt: sql`now()` })
    .where(eq(paperAccounts.tenantId, tx.tenantId));
}
