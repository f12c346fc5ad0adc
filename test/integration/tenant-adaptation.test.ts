/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * Tenant adaptation on the real stack: a tenant with real closed trades in its ledger (entries
 * and their exits, 1 lot each) and one without. The weekly retrain of tenant_profile, as its
 * schedule starts it (scheduledRetrain on the ml queue), trains the global profile from the
 * synthetic persona population and a variant for the tenant with enough trades, contract-checked
 * on the tenant's own held-out trades and promoted. decide then sizes the first tenant to its
 * variant and the second to the global profile, each recorded in the decision's models with the
 * registry's sha256 and its scope.
 */
import { startWorkflow } from '../../runtime/workflow-client';
import { createMlModelActivities } from '../../activities/ml-models';
import { createRetrainActivities } from '../../activities/retrain';
import { createDecider, registryModelSource } from '../../activities/decide';
import { dataVersionAt } from '../../contracts/models';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { withTenant } from '../../db/tenant';
import { createTenant } from '../../db/tenants';
import { previousTradingDay } from '../../domain/calendar';
import type { Decision } from '../../domain/decision';
import { tenantClosedTrades, MIN_REAL_TRADES } from '../../ml/data/tenant-trades';
import type { ModelTypeId } from '../../ml/model-types';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import { testClient, testPool, testWorker } from '../support/env';

jest.setTimeout(600_000);

const PROFILE = 'tenant_profile';

/** `count` closed one-lot bull put spreads, two a day over the trading days before `end`: half win, half lose. */
async function seedClosedTrades(pool: ReturnType<typeof testPool>, tenantId: number, end: string, count: number) {
  let day = end;
  await withTenant(pool, tenantId, async (tx) => {
    for (let i = 0; i < count; i++) {
      if (i % 2 === 0) day = previousTradingDay(day);
      const id = `real-${i}`;
      const open = `${day}T10:0${i % 2}:00+05:30`;
      const close = `${day}T11:1${i % 2}:00+05:30`;
      const win = i % 2 === 0;
      await tx.client.query(
        `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots, status)
         VALUES ($1, $2, $3, 'wf', 'run', 'BULL_PUT_SPREAD', 'NIFTY', 1, 'trade')`,
        [tenantId, id, day],
      );
      const legs = [
        // [decision, leg, side, price, symbol]
        [id, 0, 'SELL', '100', `NIFTYT${i}PE1`, open],
        [id, 1, 'BUY', '40', `NIFTYT${i}PE2`, open],
        [`${id}-exit`, 0, 'BUY', win ? '70' : '160', `NIFTYT${i}PE1`, close],
        [`${id}-exit`, 1, 'SELL', win ? '30' : '70', `NIFTYT${i}PE2`, close],
      ] as const;
      for (const [decision, leg, side, price, symbol, at] of legs) {
        const tag = `T${tenantId}-${decision}-${leg}`;
        await tx.client.query(
          `INSERT INTO orders (tenant_id, tag, decision_id, leg_index, purpose, workflow_id, run_id, broker, instrument,
                               tradingsymbol, side, quantity, order_type, status, filled_quantity, average_price)
           VALUES ($1, $2, $3, $4, 'entry', 'wf', 'run', 'paper', 'NIFTY', $5, $6, 75, 'MARKET', 'COMPLETE', 75, $7)`,
          [tenantId, tag, decision, leg, symbol, side, price],
        );
        await tx.client.query(
          `INSERT INTO fills (tenant_id, id, order_tag, quantity, price, filled_at) VALUES ($1, $2, $2, 75, $3, $4)`,
          [tenantId, tag, price, at],
        );
      }
      for (const decision of [id, `${id}-exit`])
        await tx.client.query(
          `INSERT INTO trades (tenant_id, id, decision_id, workflow_id, run_id, structure, instrument, status,
                               total_costs)
           VALUES ($1, $2, $2, 'wf', 'run', 'BULL_PUT_SPREAD', 'NIFTY', 'filled', '55.00')`,
          [tenantId, decision],
        );
    }
  });
}

describe('tenant adaptation: a tenant_profile variant sizes decide', () => {
  const pool = testPool('app');
  const registry = new ModelRegistry(pool, { actor: 'tenant-adaptation-test' });
  const { run: decide } = createDecider({ pool, models: registryModelSource(pool) });
  const dataVersion = dataVersionAt(Date.now());
  let trader: number;
  let newcomer: number;

  beforeAll(async () => {
    // decide needs a production signal_stack and strategy_agents: trained only when no other file has.
    for (const typeId of ['signal_stack', 'strategy_agents'] as ModelTypeId[])
      if (!(await registry.loadProduction(typeId, null))) {
        const { run, metadata } = await trainOnDataVersion(typeId, '2026-03-06');
        await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
      }
    const suffix = `${process.pid}-${Date.now().toString(36)}`;
    trader = (await createTenant(pool, { slug: `adapt-trader-${suffix}`, name: 'Adapt trader' })).id;
    newcomer = (await createTenant(pool, { slug: `adapt-new-${suffix}`, name: 'Adapt newcomer' })).id;
    await seedClosedTrades(pool, trader, dataVersion, 24);
    await seedClosedTrades(pool, newcomer, dataVersion, 4);
  });

  it('reads the ledger’s closed trades: P&L of both legs less both placements’ costs', async () => {
    const trades = await tenantClosedTrades(pool, trader, dataVersion);
    expect(trades).toHaveLength(24);
    // Win: +30·75 on the short, −10·75 on the long; loss: −60·75 and +30·75; costs 55 + 55 each.
    expect(trades.filter((t) => t.netPnl === 1390)).toHaveLength(12);
    expect(trades.filter((t) => t.netPnl === -2360)).toHaveLength(12);
    expect(trades.every((t) => t.lots === 1 && t.structure === 'BULL_PUT_SPREAD' && t.holdMinutes === 70)).toBe(true);
    expect(await tenantClosedTrades(pool, newcomer, dataVersion)).toHaveLength(4);
  });

  it('the weekly retrain trains the global profile and a variant for the tenant with enough trades', async () => {
    const client = await testClient();
    const worker = await testWorker({
      taskQueue: TASK_QUEUES.ml,
      identity: 'ml@tenant-adaptation-test',
      activities: {
        ...createRetrainActivities({ pool, workerId: 'ml@tenant-adaptation-test' }),
        ...createMlModelActivities({ pool, workerId: 'ml@tenant-adaptation-test', cache: null }),
      },
    });
    const result = await worker.runUntil(async () => {
      const handle = await startWorkflow(client, 'scheduledRetrain', {
        taskQueue: TASK_QUEUES.ml,
        workflowId: `scheduled-retrain/${PROFILE}/test-${process.pid}-${Date.now().toString(36)}`,
        args: [{ typeId: PROFILE }],
      });
      return handle.result();
    });
    expect(result.dataVersion).toBe(dataVersion);
    const byScope = new Map(result.runs.map((r) => [r.scope, r.result]));
    expect(byScope.get('global')).toMatch(/^(promoted|already_production|already_run)$/);
    expect(byScope.get(trader)).toBe('promoted');
    // 4 closed trades < MIN_REAL_TRADES: no variant of its own.
    expect(MIN_REAL_TRADES).toBeGreaterThan(4);
    expect(byScope.has(newcomer)).toBe(false);

    const variant = await registry.loadProduction(PROFILE, trader);
    expect(variant?.scope).toBe(trader);
    expect(variant!.metadata.dataSummary).toMatchObject({ real: 24 });
    expect(variant!.validation?.passed).toBe(true);
    expect(variant!.metadata.validationMetrics.holdout_real_rows).toBeGreaterThan(0);
    const global = await registry.loadProduction(PROFILE, newcomer);
    expect(global?.scope).toBe('global');
    const state = (a: typeof variant) => JSON.parse(a!.artifact.toString()).state;
    // The tenant trades one lot: its variant is pulled from the population's size towards it.
    expect(state(global).evidence.realTrades).toBe(0);
    expect(state(variant).typicalLots).toBeLessThan(state(global).typicalLots);
    expect(state(variant).evidence.tenantShare).toBeGreaterThan(0.6);
  });

  it('decide sizes each tenant to its profile and records it in the decision’s models', async () => {
    const sized = async (tenantId: number): Promise<Decision> => {
      for (let seed = 1; seed <= 16; seed++) {
        const { decision } = await decide({
          tenantId,
          decisionId: `adapt-${seed}`,
          at: '2026-03-10T11:00:00+05:30',
          seed,
        });
        if (decision.sizing) return decision;
      }
      throw new Error(`no decision of tenant ${tenantId} reached sizing in 16 markets`);
    };
    for (const [tenantId, scope] of [
      [trader, trader],
      [newcomer, 'global'],
    ] as const) {
      const d = await sized(tenantId);
      const served = (await registry.loadProduction(PROFILE, tenantId))!;
      expect(served.scope).toBe(scope);
      const typicalLots = JSON.parse(served.artifact.toString()).state.typicalLots as number;
      expect(d.models.find((m) => m.typeId === PROFILE)).toEqual({
        typeId: PROFILE,
        version: served.version,
        sha256: served.sha256,
        scope,
      });
      expect(d.sizing).toMatchObject({
        lotsByAppetite: Math.max(1, Math.round(typicalLots)),
        profileScope: scope === 'global' ? 'global' : `tenant:${tenantId}`,
      });
      // Within the limits and the tenant's typical size, for every candidate sized.
      const cap = Math.max(1, Math.min(Number(d.sizing!.allowed), Number(d.sizing!.lotsByAppetite)));
      expect(d.lots).toBe(cap);
      for (const c of d.candidates.filter((x) => x.built))
        expect(c.lots).toBeLessThanOrEqual(Number(d.sizing!.lotsByAppetite));
      // Stored as decided: the row's model_versions carry the profile too.
      const row = await withTenant(pool, tenantId, (tx) =>
        tx.client.query<{ model_versions: unknown[] }>('SELECT model_versions FROM decisions WHERE id = $1', [
          d.decisionId,
        ]),
      );
      expect(row.rows[0]!.model_versions).toContainEqual({
        typeId: PROFILE,
        version: served.version,
        sha256: served.sha256,
        scope,
      });
    }
  });
});
