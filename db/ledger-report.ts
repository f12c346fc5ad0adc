/** The ledger as an operator reads it (`qs orders show`): a tenant's latest orders and trades. */
import { desc, eq } from 'drizzle-orm';
import { orders, trades } from './schema/trading';
import type { TenantTx } from './tenant';

export async function recentOrders(tx: TenantTx, limit: number) {
  return tx.db
    .select({
      tag: orders.tag,
      decisionId: orders.decisionId,
      leg: orders.legIndex,
      purpose: orders.purpose,
      side: orders.side,
      tradingsymbol: orders.tradingsymbol,
      quantity: orders.quantity,
      filledQuantity: orders.filledQuantity,
      averagePrice: orders.averagePrice,
      status: orders.status,
      broker: orders.broker,
      brokerOrderId: orders.brokerOrderId,
      external: orders.external,
      workflowId: orders.workflowId,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .where(eq(orders.tenantId, tx.tenantId))
    .orderBy(desc(orders.id))
    .limit(limit);
}

export async function recentTrades(tx: TenantTx, limit: number) {
  return tx.db
    .select({
      id: trades.id,
      decisionId: trades.decisionId,
      structure: trades.structure,
      instrument: trades.instrument,
      status: trades.status,
      reason: trades.reason,
      totalCosts: trades.totalCosts,
      workflowId: trades.workflowId,
      createdAt: trades.createdAt,
    })
    .from(trades)
    .where(eq(trades.tenantId, tx.tenantId))
    .orderBy(desc(trades.createdAt))
    .limit(limit);
}
