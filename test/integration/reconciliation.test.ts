/**
 * Reconciliation on the real stack: broker (paper exchange or fake Kite) against the ledger.
 * Clean after a normal day; external orders recorded; missing fills inferred with
 * deterministic ids; an unresolved mismatch marks the tenant not clean and new orders are
 * refused until a later reconciliation is clean; every ledger row is accounted for (intents a
 * dead workflow never sent are closed, intents the broker has are linked, anything that cannot
 * be accounted for keeps the tenant not clean); schedules applied idempotently.
 */
import { executeWorkflow, startWorkflow } from '../../runtime/workflow-client';
import type { Client } from '@temporalio/client';
import { PaperBroker } from '../../broker/paper/paper-broker';
import { buildPaperStructure } from '../../broker/paper/structures';
import { recordOrderIntents, type OrderIntent } from '../../db/ledger';
import { orderPlacementWorkflowId, type OrderLeg } from '../../contracts/orders';
import { reconciliationSchedules } from '../../stack/schedules/reconciliation';
import { applySchedules } from '../../stack/schedules/apply';
import { withTenant } from '../../db/tenant';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { reconciliationWorkflowId, type ReconciliationInput } from '../../contracts/reconciliation';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testClient, testPool, uniqueQueue } from '../support/env';
import { FakeKite, sealedKiteAccount } from '../support/fake-kite';
import {
  auditCount,
  createTenant,
  FAST,
  marketRequest,
  orderWorkers,
  paperTenant,
  place,
  placementInput,
} from '../support/orders-env';
import { maybeRecordHistory } from '../support/record-history';

const pool = testPool('app');
let n = 0;
const reconcile = (client: Client, tenantId: number, extra: Partial<ReconciliationInput> = {}) =>
  executeWorkflow(client, 'reconciliation', {
    taskQueue: TASK_QUEUES.trading,
    workflowId: reconciliationWorkflowId(tenantId, `test-${process.pid}-${n++}`),
    args: [{ tenantId, trigger: 'on_demand', recheckAfterMs: 200, ...extra }],
  });

const tradingState = (tenantId: number) =>
  withTenant(
    pool,
    tenantId,
    async ({ client }) =>
      (
        await client.query('SELECT reconciliation_clean, unresolved FROM tenant_trading_state WHERE tenant_id = $1', [
          tenantId,
        ])
      ).rows[0],
  );

/** A Kite tenant on a fake Kite, armed for live trading. */
async function kiteTenant(fake: FakeKite, settleMs = 2000) {
  const { id: tenantId } = await createTenant(pool, 'recon');
  await testPool('admin').query('UPDATE tenants SET live_armed = true WHERE id = $1', [tenantId]);
  await sealedKiteAccount(pool, tenantId, fake, { timeoutMs: 800, settleMs });
  return tenantId;
}

/**
 * A placement that died (as one did when Postgres went away mid-structure): a real
 * OrderPlacement workflow, started where no worker polls and terminated, and the intents it had
 * recorded — never confirmed at the broker — in the ledger.
 */
async function deadPlacement(
  client: Client,
  tenantId: number,
  legs: readonly OrderLeg[],
  status: 'INITIALIZED' | 'SUBMITTED',
): Promise<{ workflowId: string; tags: string[] }> {
  const decisionId = `dead-${process.pid}-${n++}`;
  const workflowId = orderPlacementWorkflowId(tenantId, decisionId);
  const input = {
    tenantId,
    decisionId,
    structure: 'TEST',
    instrument: 'NIFTY' as const,
    tradingDate: '2026-05-06',
    lots: 1,
    legs,
  };
  const handle = await startWorkflow(client, 'orderPlacement', {
    taskQueue: uniqueQueue('dead'),
    workflowId,
    args: [input],
  });
  await handle.terminate('test: the placement died with the database');
  const tags = legs.map((_, i) => `QDEAD${process.pid % 10000}N${n}L${i}`);
  const intents: OrderIntent[] = legs.map((l, i) => ({
    tag: tags[i]!,
    decisionId,
    legIndex: i,
    purpose: 'entry',
    workflowId,
    runId: handle.firstExecutionRunId,
    broker: 'paper',
    instrument: l.instrument,
    tradingsymbol: l.tradingsymbol,
    expiry: l.expiry,
    strike: l.strike,
    optionType: l.optionType,
    side: l.side,
    quantity: l.quantity,
    orderType: l.orderType,
    limitPrice: l.limitPrice ?? null,
    status,
  }));
  await withTenant(pool, tenantId, (tx) => recordOrderIntents(tx, intents));
  return { workflowId, tags };
}

const ledgerRows = (tenantId: number) =>
  withTenant(
    pool,
    tenantId,
    async ({ client: c }) =>
      (
        await c.query(
          `SELECT tag, status, resolution, broker_order_id, filled_quantity
             FROM orders WHERE tenant_id = $1 ORDER BY id`,
          [tenantId],
        )
      ).rows,
  );

describe('Reconciliation', () => {
  it('is clean after a filled structure on the paper broker', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool);
    const workers = orderWorkers(pool);
    const placed = await workers.run(async () => place(client, await placementInput(pool, tenantId, 'IRON_CONDOR', 1)));
    expect(placed.status).toBe('filled');
    const v = await orderWorkers(pool).run(() => reconcile(client, tenantId));
    expect(v).toMatchObject({ clean: true, ledgerOrders: 4, brokerOrders: 4, mismatches: [] });
    expect(await tradingState(tenantId)).toMatchObject({ reconciliation_clean: true, unresolved: [] });
    const runs = await withTenant(
      pool,
      tenantId,
      async ({ client: c }) =>
        (
          await c.query('SELECT clean, ledger_orders, broker_orders FROM reconciliation_runs WHERE tenant_id = $1', [
            tenantId,
          ])
        ).rows,
    );
    expect(runs).toEqual([{ clean: true, ledger_orders: 4, broker_orders: 4 }]);
    await maybeRecordHistory(client, v.workflowId, 'reconciliation-clean');
  });

  it('records external orders, infers missing fills, and fails closed on what it cannot resolve', async () => {
    const creds = { apiKey: 'reckey', accessToken: 'rectoken', apiSecret: 'recsecret' };
    const fake = await new FakeKite(creds).start();
    try {
      const client = await testClient();
      const tenantId = await kiteTenant(fake);
      const symbol = formatTradingsymbol({ instrument: 'NIFTY', expiry: '2026-05-12', strike: 24000, type: 'put' });
      const ext = fake.placeExternal({
        tradingsymbol: symbol,
        side: 'BUY',
        quantity: 130,
        price: 35.5,
        tag: 'manualapp',
      });
      fake.hiddenTrades.add(ext.order_id); // its trades are missing from /trades: the fill must be inferred

      const v1 = await orderWorkers(pool, true).run(() => reconcile(client, tenantId));
      expect(v1.clean).toBe(true);
      expect(v1.mismatches.map((m) => m.kind).sort()).toEqual(['external_order', 'inferred_fill']);
      const fills = await withTenant(
        pool,
        tenantId,
        async ({ client: c }) =>
          (await c.query('SELECT id, quantity, price::text, inferred FROM fills WHERE tenant_id = $1', [tenantId]))
            .rows,
      );
      expect(fills).toEqual([
        { id: `inferred:ext:${ext.order_id}:130`, quantity: 130, price: '35.5000', inferred: true },
      ]);
      await maybeRecordHistory(client, v1.workflowId, 'reconciliation-external-inferred');

      // The real trade turns up: the inferred fill is superseded, positions unchanged.
      fake.hiddenTrades.delete(ext.order_id);
      const v2 = await orderWorkers(pool, true).run(() => reconcile(client, tenantId));
      expect(v2).toMatchObject({ clean: true, mismatches: [] });
      const after = await withTenant(
        pool,
        tenantId,
        async ({ client: c }) =>
          (await c.query('SELECT inferred, quantity FROM fills WHERE tenant_id = $1', [tenantId])).rows,
      );
      expect(after).toEqual([{ inferred: false, quantity: 130 }]);

      // Our ledger claims an order the broker has never heard of: not clean, new orders refused.
      await withTenant(pool, tenantId, ({ client: c }) =>
        c.query(
          `INSERT INTO orders (tenant_id, tag, purpose, broker, instrument, tradingsymbol, side, quantity, order_type,
                              status, broker_order_id, filled_quantity)
           VALUES ($1, 'QLOSTORDER00000E00', 'entry', 'kite', 'NIFTY', $2, 'SELL', 65, 'LIMIT', 'FILLED',
                   '999999', 0)`,
          [tenantId, symbol],
        ),
      );
      const v3 = await orderWorkers(pool, true).run(() => reconcile(client, tenantId));
      expect(v3.clean).toBe(false);
      expect(v3.mismatches.filter((m) => !m.resolved).map((m) => m.kind)).toEqual(['missing_at_broker']);
      expect(await tradingState(tenantId)).toMatchObject({ reconciliation_clean: false });
      await maybeRecordHistory(client, v3.workflowId, 'reconciliation-unclean');

      const legs = [
        {
          exchange: 'NFO' as const,
          tradingsymbol: symbol,
          instrument: 'NIFTY' as const,
          expiry: '2026-05-12',
          strike: 24000,
          optionType: 'PE' as const,
          side: 'BUY' as const,
          quantity: 65,
          orderType: 'LIMIT' as const,
          limitPrice: '35.50',
          exitPrice: '35.00',
        },
      ];
      const refused = await orderWorkers(pool, true).run(() =>
        place(client, {
          tenantId,
          decisionId: 'after-unclean',
          structure: 'PROTECTIVE_PUT',
          instrument: 'NIFTY',
          tradingDate: '2026-05-06',
          lots: 1,
          legs,
          options: FAST,
        }),
      );
      expect(refused.status).toBe('refused');
      const sentBefore = fake.placeRequests;

      // An operator resolves it (the row was bogus); the next reconciliation is clean and trading resumes.
      await withTenant(pool, tenantId, ({ client: c }) =>
        c.query(`DELETE FROM orders WHERE tenant_id = $1 AND tag = 'QLOSTORDER00000E00'`, [tenantId]),
      );
      const v4 = await orderWorkers(pool, true).run(() => reconcile(client, tenantId));
      expect(v4.clean).toBe(true);
      const ok = await orderWorkers(pool, true).run(() =>
        place(client, {
          tenantId,
          decisionId: 'after-clean',
          structure: 'PROTECTIVE_PUT',
          instrument: 'NIFTY',
          tradingDate: '2026-05-06',
          lots: 1,
          legs,
          options: FAST,
        }),
      );
      expect(ok.status).toBe('filled');
      expect(fake.placeRequests).toBe(sentBefore + 1);
      expect(await auditCount(pool, tenantId, 'reconciliation.completed')).toBe(4);

      // Someone re-sends one of our tags by hand: two broker orders, one tag — never resolved silently.
      fake.placeExternal({ tradingsymbol: symbol, side: 'BUY', quantity: 65, price: 35.5, tag: ok.legs[0]!.tag });
      const v5 = await orderWorkers(pool, true).run(() => reconcile(client, tenantId));
      expect(v5.clean).toBe(false);
      expect(v5.mismatches.filter((m) => !m.resolved).map((m) => m.kind)).toEqual(['duplicate_tag']);
      const ours = await withTenant(
        pool,
        tenantId,
        async ({ client: c }) =>
          (
            await c.query(
              `SELECT tag, broker_order_id, filled_quantity, external FROM orders
                WHERE tenant_id = $1 AND (tag = $2 OR broker_order_id = $3) ORDER BY id`,
              [tenantId, ok.legs[0]!.tag, fake.ordersWithTag(ok.legs[0]!.tag)[1]!.order_id],
            )
          ).rows,
      );
      expect(ours).toEqual([
        { tag: ok.legs[0]!.tag, broker_order_id: ok.legs[0]!.brokerOrderId, filled_quantity: 65, external: false },
        {
          tag: `ext:${fake.ordersWithTag(ok.legs[0]!.tag)[1]!.order_id}`,
          broker_order_id: fake.ordersWithTag(ok.legs[0]!.tag)[1]!.order_id,
          filled_quantity: 65,
          external: true,
        },
      ]);
    } finally {
      await fake.stop();
    }
  });

  it('closes the intents a dead placement never sent, and counts every ledger row', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool);
    const placed = await orderWorkers(pool).run(async () =>
      place(client, await placementInput(pool, tenantId, 'BULL_PUT_SPREAD', 1)),
    );
    expect(placed.status).toBe('filled');
    const { legs } = await buildPaperStructure(pool, tenantId, 'BULL_PUT_SPREAD', 'NIFTY', 1);
    const dead = await deadPlacement(client, tenantId, legs, 'INITIALIZED');

    // Two orders at the broker, four rows in the ledger: every one is examined.
    const v = await orderWorkers(pool).run(() => reconcile(client, tenantId));
    expect(v).toMatchObject({ clean: true, ledgerOrders: 4, accountedOrders: 4, brokerOrders: 2 });
    expect(v.mismatches).toEqual(
      dead.tags.map((tag) => ({
        kind: 'intent_never_sent',
        resolved: true,
        tag,
        workflowId: dead.workflowId,
        workflowStatus: 'TERMINATED',
        detail: expect.stringMatching(/^never sent: its workflow is TERMINATED/),
      })),
    );
    const rows = await ledgerRows(tenantId);
    expect(rows.filter((r) => dead.tags.includes(r.tag))).toEqual(
      dead.tags.map((tag) => ({
        tag,
        status: 'DENIED',
        resolution: 'never_sent',
        broker_order_id: null,
        filled_quantity: 0,
      })),
    );
    expect(await new PaperBroker(pool, tenantId).getOrders()).toHaveLength(2);

    // Closed rows are final: the next run accounts for them without a word.
    const again = await orderWorkers(pool).run(() => reconcile(client, tenantId));
    expect(again).toMatchObject({ clean: true, ledgerOrders: 4, accountedOrders: 4, mismatches: [] });
  });

  it('links an intent the broker has by its tag that the ledger never confirmed', async () => {
    const client = await testClient();
    const tenantId = await paperTenant(pool);
    const { legs } = await buildPaperStructure(pool, tenantId, 'PROTECTIVE_PUT', 'NIFTY', 1);
    const leg = legs[0]!;
    // placeOrder marked it SUBMITTED and sent it; the database went away before the answer was written.
    const dead = await deadPlacement(client, tenantId, [leg], 'SUBMITTED');
    const { brokerOrderId } = await new PaperBroker(pool, tenantId).placeOrder(marketRequest(leg, dead.tags[0]!));

    const v = await orderWorkers(pool).run(() => reconcile(client, tenantId));
    expect(v).toMatchObject({ clean: true, ledgerOrders: 1, accountedOrders: 1, brokerOrders: 1 });
    expect(v.mismatches.find((m) => m.kind === 'intent_linked')).toMatchObject({
      resolved: true,
      tag: dead.tags[0],
      brokerOrderId,
      workflowId: dead.workflowId,
      workflowStatus: 'TERMINATED',
    });
    expect(v.mismatches.every((m) => m.resolved)).toBe(true);
    const [broker] = await new PaperBroker(pool, tenantId).getOrders();
    expect(await ledgerRows(tenantId)).toEqual([
      {
        tag: dead.tags[0],
        status: broker!.status,
        resolution: null,
        broker_order_id: brokerOrderId,
        filled_quantity: broker!.filledQuantity,
      },
    ]);
  });

  it('is not clean while an intent cannot be accounted for', async () => {
    const creds = { apiKey: 'reckey2', accessToken: 'rectoken2', apiSecret: 'recsecret2' };
    const fake = await new FakeKite(creds).start();
    try {
      const client = await testClient();
      const tenantId = await kiteTenant(fake, 60_000);
      const symbol = formatTradingsymbol({ instrument: 'NIFTY', expiry: '2026-05-12', strike: 24000, type: 'put' });
      const leg: OrderLeg = {
        exchange: 'NFO',
        tradingsymbol: symbol,
        instrument: 'NIFTY',
        expiry: '2026-05-12',
        strike: 24000,
        optionType: 'PE',
        side: 'BUY',
        quantity: 65,
        orderType: 'LIMIT',
        limitPrice: '35.50',
      };
      // Sent with an unknown outcome moments ago; Kite may take up to a minute to list it.
      const dead = await deadPlacement(client, tenantId, [leg], 'SUBMITTED');
      const v1 = await orderWorkers(pool, true).run(() => reconcile(client, tenantId));
      expect(v1).toMatchObject({ clean: false, ledgerOrders: 1, accountedOrders: 0, brokerOrders: 0 });
      expect(v1.mismatches).toMatchObject([
        { kind: 'intent_unconfirmed', resolved: false, tag: dead.tags[0], workflowStatus: 'TERMINATED' },
      ]);
      expect(await tradingState(tenantId)).toMatchObject({ reconciliation_clean: false });

      // The settle window passes and the tag never appeared: it was never sent.
      await withTenant(pool, tenantId, ({ client: c }) =>
        c.query(`UPDATE orders SET updated_at = now() - interval '2 minutes' WHERE tenant_id = $1`, [tenantId]),
      );
      const v2 = await orderWorkers(pool, true).run(() => reconcile(client, tenantId));
      expect(v2).toMatchObject({ clean: true, ledgerOrders: 1, accountedOrders: 1 });
      expect(v2.mismatches).toMatchObject([{ kind: 'intent_never_sent', resolved: true, tag: dead.tags[0] }]);
      expect(await tradingState(tenantId)).toMatchObject({ reconciliation_clean: true, unresolved: [] });
      expect(fake.placeRequests).toBe(0);
    } finally {
      await fake.stop();
    }
  });

  it('applies the per-tenant schedules idempotently (pre-open and market hours, Asia/Kolkata)', async () => {
    const client = await testClient();
    const { id: tenantId } = await createTenant(pool, 'sched');
    const first = await applySchedules(client, reconciliationSchedules(tenantId));
    const second = await applySchedules(client, reconciliationSchedules(tenantId));
    expect(first.map((s) => s.result)).toEqual(['created', 'created']);
    expect(second.map((s) => s.result)).toEqual(['unchanged', 'unchanged']);
    const d = await client.schedule.getHandle(`reconcile-intraday/${tenantId}`).describe();
    expect(d.spec.timezone).toBe('Asia/Kolkata');
    expect(d.spec.calendars).toHaveLength(3);
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'reconciliation',
      taskQueue: 'trading',
      args: [{ tenantId, trigger: 'schedule' }],
    });
    const pre = await client.schedule.getHandle(`reconcile-pre-open/${tenantId}`).describe();
    expect(pre.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 8, end: 8, step: 1 }],
      minute: [{ start: 45, end: 45, step: 1 }],
    });
    for (const id of [`reconcile-intraday/${tenantId}`, `reconcile-pre-open/${tenantId}`])
      await client.schedule.getHandle(id).delete();
  });
});
