/**
 * OrderPlacement end to end on the real stack: Temporal dev server, Postgres, workers on the
 * trading and broker queues, the paper broker (domain paper exchange persisted in Postgres)
 * with fault injection steering each scenario.
 */
import { PaperBroker } from '../../broker/paper/paper-broker';
import { withTenant } from '../../db/tenant';
import { OrderTag, TenantId } from '../../contracts/search-attributes';
import { tradeProvenance } from '../../db/provenance';
import { testClient, testPool } from '../support/env';
import { maybeRecordHistory } from '../support/record-history';
import { auditCount, FAST, orderWorkers, paperTenant, place, placementInput } from '../support/orders-env';

const pool = testPool('app');

async function ledger(tenantId: number) {
  return withTenant(pool, tenantId, async ({ client }) => ({
    orders: (
      await client.query(
        `SELECT tag, purpose, side, quantity, status, filled_quantity, broker_order_id
           FROM orders WHERE tenant_id = $1 ORDER BY id`,
        [tenantId],
      )
    ).rows,
    positions: (
      await client.query(
        'SELECT tradingsymbol, quantity FROM positions WHERE tenant_id = $1 AND quantity <> 0 ORDER BY tradingsymbol',
        [tenantId],
      )
    ).rows,
    trade: (await client.query('SELECT status, reason, total_costs FROM trades WHERE tenant_id = $1', [tenantId]))
      .rows[0],
  }));
}

async function brokerPositions(tenantId: number) {
  return (await new PaperBroker(pool, tenantId).getPositions())
    .filter((p) => p.quantity !== 0)
    .map((p) => ({ tradingsymbol: p.tradingsymbol, quantity: p.quantity }));
}

describe('OrderPlacement on the paper broker', () => {
  const workers = orderWorkers(pool);

  it('fills a two-leg structure: ledger, positions, trade and provenance agree with the broker', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool);
    const input = await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1);
    const result = await workers.run(() => place(client, input));
    expect(result.status).toBe('filled');
    expect(result.reconciliationClean).toBe(true);
    expect(result.legs.map((l) => l.status)).toEqual(['FILLED', 'FILLED']);
    const l = await ledger(tenantId);
    expect(l.orders.map((o) => o.status)).toEqual(['FILLED', 'FILLED']);
    expect(l.positions).toEqual(await brokerPositions(tenantId));
    expect(l.positions).toHaveLength(2);
    expect(Number(l.trade.total_costs)).toBeGreaterThan(0);
    const chain = await tradeProvenance(pool, tenantId, input.decisionId);
    expect(chain).toMatchObject({
      tradeId: input.decisionId,
      decision: { id: input.decisionId },
      workflowId: result.workflowId,
      runId: result.runId,
    });
    expect(chain!.legs.map((x) => x.tag)).toEqual(result.legs.map((x) => x.tag));
    expect(chain!.legs.every((x) => x.brokerOrderId && x.fills.length > 0)).toBe(true);
    expect(Number(chain!.costs.total)).toBeGreaterThan(0);
    // Operators find it in the Web UI by tenant or by any broker tag.
    const described = await client.workflow.getHandle(result.workflowId).describe();
    expect(described.typedSearchAttributes.get(TenantId)).toBe(String(tenantId));
    expect(described.typedSearchAttributes.get(OrderTag)).toEqual(result.legs.map((x) => x.tag));
    // One round trip through the server: the gate with the intents ran as one local activity, and
    // one broker activity placed the legs, watched them fill, reconciled them and wrote the trade.
    const events = (await client.workflow.getHandle(result.workflowId).fetchHistory()).events ?? [];
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).toEqual(['placeLegs']);
    const markers = events.flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []);
    expect(markers.filter((m) => m === 'core_local_activity')).toHaveLength(1);
    expect(await auditCount(pool, tenantId, 'trade.recorded')).toBe(1);
    await maybeRecordHistory(client, result.workflowId, 'order-placement-filled-trade-in-batch');
  });

  it('slices a leg above the freeze quantity into child orders that reconcile as one leg', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool);
    // NIFTY's freeze limit is 1,800 units: 27 lots of 65 per order, so 81 lots is three children a leg.
    const input = await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 81);
    const perLeg = input.legs[0]!.quantity;
    expect(perLeg).toBe(81 * 65);
    const result = await workers.run(() => place(client, input));
    expect(result.status).toBe('filled');
    expect(result.reconciliationClean).toBe(true);
    const atBroker = await new PaperBroker(pool, tenantId).getOrders();
    expect(atBroker).toHaveLength(6);
    expect(atBroker.every((o) => o.quantity <= 1800 && o.quantity % 65 === 0)).toBe(true);
    for (const leg of [0, 1]) {
      const children = result.legs.filter((l) => l.leg === leg);
      expect(children.map((c) => c.quantity)).toEqual([1755, 1755, 1755]);
      expect(children.every((c) => c.status === 'FILLED')).toBe(true);
      expect(new Set(children.map((c) => c.tag)).size).toBe(3);
    }
    // One position per structure leg, the sum of its children, the same at the broker.
    const l = await ledger(tenantId);
    expect(l.positions.map((x: { quantity: number }) => Math.abs(x.quantity))).toEqual([perLeg, perLeg]);
    expect(l.positions).toEqual(await brokerPositions(tenantId));
    await maybeRecordHistory(client, result.workflowId, 'order-placement-freeze-sliced-trade-in-batch');
  });

  it('handles partial fills until complete', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool, { rules: [{ action: 'partial', purpose: 'E', leg: 1, lots: 1 }] });
    const input = await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 3);
    const result = await workers.run(() => place(client, input));
    expect(result.status).toBe('filled');
    const fills = await withTenant(
      pool,
      tenantId,
      async ({ client: c }) =>
        (
          await c.query('SELECT count(*)::int AS n FROM fills WHERE tenant_id = $1 AND order_tag = $2', [
            tenantId,
            result.legs[1]!.tag,
          ])
        ).rows[0].n,
    );
    expect(fills).toBeGreaterThanOrEqual(3); // one lot per tick: partial, partial, complete
    expect((await ledger(tenantId)).positions).toEqual(await brokerPositions(tenantId));
    await maybeRecordHistory(client, result.workflowId, 'order-placement-partial-trade-in-batch');
  });

  it('unwinds leg 1 when leg 2 is rejected', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool, {
      rules: [{ action: 'reject', purpose: 'E', leg: 1, message: 'RMS: margin shortfall (test)' }],
    });
    const input = await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1);
    const result = await workers.run(() => place(client, input));
    expect(result.status).toBe('unwound');
    expect(result.reason).toMatch(/rejected: RMS: margin shortfall/);
    const entry0 = result.legs.find((l) => l.purpose === 'entry' && l.leg === 0)!;
    const unwind = result.legs.find((l) => l.purpose === 'unwind')!;
    expect(entry0.status).toBe('FILLED');
    expect(unwind).toMatchObject({
      leg: 0,
      side: entry0.side === 'BUY' ? 'SELL' : 'BUY',
      status: 'FILLED',
      filledQuantity: entry0.filledQuantity,
    });
    expect((await ledger(tenantId)).positions).toEqual([]);
    expect(await brokerPositions(tenantId)).toEqual([]);
    await maybeRecordHistory(client, result.workflowId, 'order-placement-rejected-unwound-trade-in-batch');
  });

  it('places exactly one broker order after an ambiguous timeout (found by tag)', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool, { rules: [{ action: 'ambiguous', purpose: 'E', leg: 0 }] });
    const input = await placementInput(pool, tenantId, 'BEAR_CALL_SPREAD', 1);
    const result = await workers.run(() => place(client, input));
    expect(result.status).toBe('filled');
    const orders = await new PaperBroker(pool, tenantId).getOrders();
    expect(orders.filter((o) => o.tag === result.legs[0]!.tag)).toHaveLength(1);
    expect(orders).toHaveLength(2);
    expect(await auditCount(pool, tenantId, 'order.ambiguous')).toBe(1);
    expect(await auditCount(pool, tenantId, 'order.found_by_tag')).toBe(1);
    expect(await auditCount(pool, tenantId, 'paper.duplicate_tag')).toBe(0);
    await maybeRecordHistory(client, result.workflowId, 'order-placement-ambiguous-trade-in-batch');
  });

  it('cancels on timeout and unwinds what filled', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool, { rules: [{ action: 'no_fill', purpose: 'E', leg: 1 }] });
    const input = await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1, { ...FAST, fillTimeoutMs: 2_000 });
    const result = await workers.run(() => place(client, input));
    expect(result.status).toBe('unwound');
    expect(result.reason).toMatch(/fill timeout/);
    expect(result.legs.find((l) => l.purpose === 'entry' && l.leg === 1)).toMatchObject({
      status: 'CANCELED',
      filledQuantity: 0,
    });
    expect(result.legs.find((l) => l.purpose === 'unwind')).toMatchObject({ leg: 0, status: 'FILLED' });
    expect(await auditCount(pool, tenantId, 'order.cancel_requested')).toBe(1);
    expect(await brokerPositions(tenantId)).toEqual([]);
    await maybeRecordHistory(client, result.workflowId, 'order-placement-cancel-timeout-trade-in-batch');
  });

  it('keeps a fill that lands after the cancel was requested', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool, { rules: [{ action: 'fill_on_cancel', purpose: 'E', leg: 1 }] });
    const input = await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1, { ...FAST, fillTimeoutMs: 1_500 });
    const result = await workers.run(() => place(client, input));
    expect(result.status).toBe('filled');
    expect(result.anomalies.join(' ')).toMatch(/late fills completed the structure/);
    expect(result.legs.map((l) => l.status)).toEqual(['FILLED', 'FILLED']);
    expect((await ledger(tenantId)).positions).toEqual(await brokerPositions(tenantId));
    await maybeRecordHistory(client, result.workflowId, 'order-placement-late-fill-trade-in-batch');
  });

  it('refuses new orders while reconciliation is not clean or a kill switch is on (fail closed)', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool);
    await withTenant(pool, tenantId, ({ client: c }) =>
      c.query(
        `INSERT INTO tenant_trading_state (tenant_id, reconciliation_clean, unresolved)
         VALUES ($1, false, '[{"kind":"position_mismatch"}]')`,
        [tenantId],
      ),
    );
    const r1 = await workers.run(async () => place(client, await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1)));
    expect(r1.status).toBe('refused');
    expect(r1.reason).toMatch(/reconciliation is not clean/);
    await withTenant(pool, tenantId, async ({ client: c }) => {
      await c.query('UPDATE tenant_trading_state SET reconciliation_clean = true WHERE tenant_id = $1', [tenantId]);
      await c.query(
        `INSERT INTO kill_switches (tenant_id, scope, target, active, reason)
         VALUES ($1, 'instrument', 'NIFTY', true, 'test halt')`,
        [tenantId],
      );
    });
    const r2 = await workers.run(async () => place(client, await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1)));
    expect(r2.status).toBe('refused');
    expect(r2.reason).toMatch(/kill switch \(instrument NIFTY\): test halt/);
    expect(await new PaperBroker(pool, tenantId).getOrders()).toEqual([]);
    expect(await auditCount(pool, tenantId, 'orders.refused')).toBe(2);
    await maybeRecordHistory(client, r2.workflowId, 'order-placement-refused-batched');

    // A closing order only takes risk off: the kill switch lets it through (a flatten must work
    // while trading is halted); an unclean reconciliation would not.
    const closing = { ...(await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1)), intent: 'close' as const };
    const r3 = await workers.run(() => place(client, closing));
    expect(r3.status).toBe('filled');
    expect(await new PaperBroker(pool, tenantId).getOrders()).toHaveLength(2);
    expect(await auditCount(pool, tenantId, 'orders.refused')).toBe(2);
  });
});
