/**
 * The paper broker's account row (paper_accounts): one JSON state per tenant, read FOR UPDATE
 * so each tenant's exchange is serialised like a venue's sequencer; and its closed orders
 * (paper_closed_orders), final orders moved out of that state. The shapes of the state, market
 * session, faults and orders belong to the paper broker; this module only stores them.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { paperAccounts, paperClosedOrders } from './schema';
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

export interface ClosedPaperOrder<Order> {
  orderId: string;
  seq: number;
  tag: string | null;
  order: Order;
}

/** Files final orders (call with the account locked). Filing one twice keeps the first. */
export async function fileClosedPaperOrders<Order>(tx: TenantTx, orders: readonly ClosedPaperOrder<Order>[]) {
  if (orders.length === 0) return;
  await tx.db
    .insert(paperClosedOrders)
    .values(
      orders.map((o) => ({
        tenantId: tx.tenantId,
        orderId: o.orderId,
        seq: o.seq,
        tag: o.tag,
        exchangeOrder: o.order,
      })),
    )
    .onConflictDoNothing();
}

/** One closed order by the exchange's id or by its tag; undefined when none is closed. */
export async function closedPaperOrder<Order>(
  tx: TenantTx,
  by: { orderId: string } | { tag: string },
): Promise<Order | undefined> {
  const [row] = await tx.db
    .select({ order: paperClosedOrders.exchangeOrder })
    .from(paperClosedOrders)
    .where(
      and(
        eq(paperClosedOrders.tenantId, tx.tenantId),
        'orderId' in by ? eq(paperClosedOrders.orderId, by.orderId) : eq(paperClosedOrders.tag, by.tag),
      ),
    );
  return row?.order as Order | undefined;
}

/** Every closed order, in placement order. */
export async function closedPaperOrders<Order>(tx: TenantTx): Promise<Order[]> {
  const rows = await tx.db
    .select({ order: paperClosedOrders.exchangeOrder })
    .from(paperClosedOrders)
    .where(eq(paperClosedOrders.tenantId, tx.tenantId))
    .orderBy(asc(paperClosedOrders.seq));
  return rows.map((r) => r.order as Order);
}
