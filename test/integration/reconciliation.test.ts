/**
 * Reconciliation on the real stack: broker (paper exchange or fake Kite) against the ledger.
 * Clean after a normal day; external orders recorded; missing fills inferred with
 * deterministic ids; an unresolved mismatch marks the tenant not clean and new orders are
 * refused until a later reconciliation is clean; schedules applied idempotently.
 */
import { executeWorkflow } from '../../runtime/workflow-client';
import type { Client } from '@temporalio/client';
import { reconciliationSchedules } from '../../stack/schedules/reconciliation';
import { applySchedules } from '../../stack/schedules/apply';
import { withTenant } from '../../db/tenant';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { reconciliationWorkflowId, type ReconciliationInput } from '../../contracts/reconciliation';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { testClient, testPool } from '../support/env';
import { FakeKite } from '../support/fake-kite';
import {
  auditCount,
  createTenant,
  FAST,
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
      const { id: tenantId } = await createTenant(pool, 'recon');
      await pool.query('UPDATE tenants SET live_armed = true WHERE id = $1', [tenantId]);
      await withTenant(pool, tenantId, ({ client: c }) =>
        c.query(
          `INSERT INTO broker_accounts (tenant_id, broker, settings, access_token, api_secret) VALUES ($1, 'kite', $2, $3, $4)`,
          [
            tenantId,
            JSON.stringify({ baseUrl: fake.url, apiKey: creds.apiKey, timeoutMs: 800, settleMs: 2000 }),
            creds.accessToken,
            creds.apiSecret,
          ],
        ),
      );
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
          `INSERT INTO orders (tenant_id, tag, purpose, broker, instrument, tradingsymbol, side, quantity, order_type, status, broker_order_id, filled_quantity)
                 VALUES ($1, 'QLOSTORDER00000E00', 'entry', 'kite', 'NIFTY', $2, 'SELL', 65, 'LIMIT', 'FILLED', '999999', 0)`,
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
              'SELECT tag, broker_order_id, filled_quantity, external FROM orders WHERE tenant_id = $1 AND (tag = $2 OR broker_order_id = $3) ORDER BY id',
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
