/**
 * The paper broker files an order that turns final in paper_closed_orders and drops it from the
 * exchange state it rewrites on every call: the state stays the size of the working book, and
 * the broker port answers about a closed order exactly as before (by id, by tag, in the book,
 * as a duplicate tag, as a cancel refused). Real Postgres, under the tenant's RLS.
 */
import { PaperBroker } from '../../broker/paper/paper-broker';
import { buildPaperStructure } from '../../broker/paper/structures';
import { OrderNotFoundError, OrderNotOpenError } from '../../broker/errors';
import type { PlaceOrderRequest } from '../../broker/port';
import type { BrokerOrder } from '../../contracts/broker-reports';
import { withTenant } from '../../db/tenant';
import { testPool } from '../support/env';
import { auditCount, marketRequest, paperTenant } from '../support/orders-env';

const pool = testPool('app');

async function marketOrder(tenantId: number, tag: string): Promise<PlaceOrderRequest> {
  return marketRequest((await buildPaperStructure(pool, tenantId, 'BULL_PUT_SPREAD', 'NIFTY', 1)).legs[0]!, tag);
}

/** A buy limit 15% under a fill's price: inside the price band, below the offer, so it rests. */
async function restingBuy(tenantId: number, tag: string, near: BrokerOrder): Promise<PlaceOrderRequest> {
  const price = (Math.floor(Number(near.averagePrice) * 0.85 * 20) / 20).toFixed(2);
  return { ...(await marketOrder(tenantId, tag)), side: 'BUY', orderType: 'LIMIT', price };
}

async function stored(tenantId: number) {
  return withTenant(pool, tenantId, async ({ client }) => {
    const state = await client.query<{ orders: string[] }>(
      "SELECT ARRAY(SELECT jsonb_object_keys(exchange_state->'orders')) AS orders FROM paper_accounts",
    );
    const closed = await client.query<{ order_id: string; tag: string }>(
      'SELECT order_id, tag FROM paper_closed_orders ORDER BY seq',
    );
    return { inState: state.rows[0]!.orders, closed: closed.rows };
  });
}

async function untilFilled(broker: PaperBroker, id: string) {
  for (let i = 0; i < 200; i++) {
    const o = await broker.getOrder(id);
    if (o.status === 'FILLED') return o;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`order ${id} did not fill`);
}

describe('paper broker: closed orders leave the exchange state', () => {
  it('files a filled order once and answers about it as before, to its own tenant only', async () => {
    const tenantId = await paperTenant(pool);
    const broker = new PaperBroker(pool, tenantId);
    const req = await marketOrder(tenantId, 'CLOSED1');
    const { brokerOrderId: id } = await broker.placeOrder(req);
    const filled = await untilFilled(broker, id); // read in the call that saw it fill
    const trades = await broker.getOrderTrades(id);
    expect(trades.length).toBeGreaterThan(0);

    expect(await stored(tenantId)).toEqual({ inState: [], closed: [{ order_id: id, tag: 'CLOSED1' }] });
    expect(await broker.getOrder(id)).toEqual(filled);
    expect(await broker.findOrdersByTag('CLOSED1')).toEqual([filled]);
    expect(await broker.getOrders()).toEqual([filled]);
    expect(await broker.getTrades()).toEqual(trades);

    // A working order sits in the state beside the closed one; the book lists both in placement order.
    const { brokerOrderId: restingId } = await broker.placeOrder(await restingBuy(tenantId, 'RESTING1', filled));
    expect(['SUBMITTED', 'ACCEPTED']).toContain((await broker.getOrder(restingId)).status); // working
    expect((await broker.getOrders()).map((o) => o.brokerOrderId)).toEqual([id, restingId]);
    expect((await stored(tenantId)).inState).toEqual([restingId]);

    // The tag of a closed order is still known: no second order, and the repeat is audited.
    const dupBefore = await auditCount(pool, tenantId, 'paper.duplicate_tag');
    expect(await broker.placeOrder(req)).toEqual({ brokerOrderId: id });
    expect(await auditCount(pool, tenantId, 'paper.duplicate_tag')).toBe(dupBefore + 1);
    expect((await stored(tenantId)).closed).toHaveLength(1);

    // Cancelling it is refused as the exchange refuses a final order, not as an unknown one.
    const refused = await broker.cancelOrder(id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OrderNotOpenError);
    expect((refused as Error).message).toMatch(/ORDER_FILLED/);
    await expect(broker.cancelOrder('no-such-order')).rejects.toBeInstanceOf(OrderNotFoundError);

    // Another tenant's broker sees none of it.
    const other = new PaperBroker(pool, await paperTenant(pool));
    await expect(other.getOrder(id)).rejects.toBeInstanceOf(OrderNotFoundError);
    expect(await other.findOrdersByTag('CLOSED1')).toEqual([]);
    expect(await other.getOrders()).toEqual([]);
  });

  it('moves the final orders of a state written before the closed book on its next change', async () => {
    const tenantId = await paperTenant(pool);
    const broker = new PaperBroker(pool, tenantId);
    const { brokerOrderId: id } = await broker.placeOrder(await marketOrder(tenantId, 'LEGACY1'));
    const filled = await untilFilled(broker, id);
    // As an older release left it: the filled order inside the state, nothing filed.
    await withTenant(pool, tenantId, async ({ client }) => {
      const { rows } = await client.query('SELECT exchange_order FROM paper_closed_orders WHERE order_id = $1', [id]);
      await client.query(
        `UPDATE paper_accounts SET exchange_state = jsonb_set(jsonb_set(exchange_state, '{orders}',
           jsonb_build_object($1::text, $2::jsonb)), '{tagIndex}', jsonb_build_object('LEGACY1', $1::text))`,
        [id, rows[0].exchange_order],
      );
      await client.query('DELETE FROM paper_closed_orders WHERE order_id = $1', [id]);
    });
    expect(await stored(tenantId)).toEqual({ inState: [id], closed: [] });
    expect(await broker.getOrder(id)).toEqual(filled); // read from the state as it is
    await broker.placeOrder(await restingBuy(tenantId, 'NEXT1', filled));
    const after = await stored(tenantId);
    expect(after.closed).toEqual([{ order_id: id, tag: 'LEGACY1' }]);
    expect(after.inState).not.toContain(id);
    expect(await broker.findOrdersByTag('LEGACY1')).toEqual([filled]);
  });
});
