/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * decide on the real stack: models trained, contract-checked and promoted in the registry,
 * served through a hot-swapping ModelCache, the tenant's state in Postgres. Kill switch → the
 * kill-switch wall refuses with its numbers; a loss past the daily limit → the loss wall; an
 * expected P&L below costs → the cost reason; a normal decision → trade with its whole why and
 * each model's sha256 the registry's; a rollback changes the version decide reports without a
 * restart; the same id twice → one row.
 */
import { until } from '../support/until';
import { createDecideActivities, createDecider } from '../../activities/decide';
import { setKillSwitch } from '../../db/tenant-console';
import { setTenantLimits } from '../../db/tenant-limits';
import { createTenant } from '../../db/tenants';
import { withTenant } from '../../db/tenant';
import { decisionOutcome, type Decision } from '../../domain/decision';
import { formatTradingsymbol } from '../../broker/tradingsymbol';
import { lotSize } from '../../domain/instruments';
import { ModelCache } from '../../ml/model-cache';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import type { ModelTypeId } from '../../ml/model-types';
import { decisionProvenance } from '../../db/provenance';
import { insertDecision } from '../../db/decisions';
import { testClient, testEnv, testPool } from '../support/env';
import { FAST, orderWorkers, paperTenant, place, placementInput } from '../support/orders-env';
import { runQs } from '../support/run-qs';

jest.setTimeout(600_000);

const AT = '2026-03-10T11:00:00+05:30';

describe('decide on the real stack', () => {
  const pool = testPool('app');
  const registry = new ModelRegistry(pool, { actor: 'decide-test' });
  const cache = new ModelCache({ pool, listenUrl: testEnv().appUrl, workerId: `decide-test-${process.pid}` });
  const { run: decide } = createDecider({ pool, models: cache });
  const tenant = (suffix: string) =>
    createTenant(pool, { slug: `decide-${suffix}-${process.pid}`, name: `Decide ${suffix}` }).then((t) => t.id);
  const save = async (typeId: ModelTypeId, dataVersion: string) => {
    const { run, metadata } = await trainOnDataVersion(typeId, dataVersion);
    const saved = await registry.saveModel({ scope: 'global', artifact: run.artifact, metadata });
    // Tests share the run's registry: another file may have saved (and promoted) this very version.
    expect(saved.promotion ? saved.promotion.outcome : saved.saved.status).toMatch(/^(promoted|production)$/);
    return saved.saved;
  };
  let stack1: { version: number; sha256: string };
  const seen: Decision[] = [];
  let normal: Decision;
  let normalTenant: number;

  beforeAll(async () => {
    stack1 = await save('signal_stack', '2026-03-06');
    await save('strategy_agents', '2026-03-06');
    await cache.start();
    normalTenant = await tenant('normal');
    // Decisions on several simulated markets: at least one trade and one cost refusal among them.
    for (let seed = 1; seed <= 16; seed++) {
      const { decision } = await decide({ tenantId: normalTenant, decisionId: `normal-${seed}`, at: AT, seed });
      seen.push(decision);
      if (seen.some((d) => d.status === 'trade') && seen.some((d) => d.reasons.some((r) => r.source === 'costs')))
        break;
    }
  });

  afterAll(async () => {
    await cache.stop();
  });

  it('a normal decision trades, with the whole why stored and every model as the registry has it', async () => {
    const trade = seen.find((d) => d.status === 'trade');
    expect(trade).toBeDefined();
    normal = trade!;
    expect(normal.reasons).toEqual([]);
    expect(normal.structure).not.toBeNull();
    expect(normal.legs.length).toBeGreaterThan(0);
    expect(normal.lots).toBeGreaterThan(0);
    expect(Number(normal.netEv)).toBeGreaterThan(0);
    expect(Number(normal.expectedPnl!.total)).toBeGreaterThan(Number(normal.costs!.total));
    expect(normal.gates.map((g) => g.wall)).toEqual([
      'kill-switch',
      'regime',
      'size',
      'capital',
      'loss-limits',
      'greeks',
      'event-expiry',
    ]);
    expect(normal.gates.every((g) => g.pass)).toBe(true);
    expect(Object.keys(normal.factors).length).toBeGreaterThanOrEqual(40);
    expect(normal.signals).toHaveLength(8);
    for (const s of normal.signals) expect(s.interval.coverage).toBe(0.9);
    expect(normal.combiner.outcome).toBe('view');
    expect(normal.combiner.weights).toHaveLength(8);
    expect(normal.agent?.arm).toBe(normal.structure);
    expect(normal.candidates).toHaveLength(8);
    // Other test files may have promoted a global strike selector: either way it is recorded.
    expect(['fallback', 'strike_selector']).toContain(normal.strikes?.source);
    if (normal.strikes?.source === 'strike_selector')
      expect(normal.models.map((m) => m.typeId)).toContain('strike_selector');
    expect(normal.snapshotId).toMatch(/^snap_/);
    for (const m of normal.models) {
      const prod = await registry.loadProduction(m.typeId);
      expect({ typeId: m.typeId, version: m.version, sha256: m.sha256 }).toEqual({
        typeId: prod!.typeId,
        version: prod!.version,
        sha256: prod!.sha256,
      });
    }
    expect(normal.models.map((m) => m.typeId)).toEqual(expect.arrayContaining(['signal_stack', 'strategy_agents']));
    // The row holds the same why, and the snapshot can be read back by its id.
    const row = await withTenant(pool, normalTenant, (tx) =>
      tx.client.query(
        `SELECT status, snapshot_id, model_versions, gate_outcomes, cost_breakdown, expected_pnl::text, net_ev::text,
                why
           FROM decisions WHERE id = $1`,
        [normal.decisionId],
      ),
    );
    expect(row.rows[0]).toMatchObject({
      status: 'trade',
      snapshot_id: normal.snapshotId,
      net_ev: normal.netEv,
      expected_pnl: normal.expectedPnl!.total,
    });
    expect(row.rows[0].why).toEqual(JSON.parse(JSON.stringify(normal)));
    const snap = await pool.query(`SELECT chain->>'id' AS id FROM market_snapshots WHERE snapshot_id = $1`, [
      normal.snapshotId,
    ]);
    expect(snap.rows).toEqual([{ id: normal.snapshotId }]);
  });

  it('the drift monitor sees the tenant’s latest decisions, whichever process made them', async () => {
    seen.forEach((d, i) => expect(d.drift.recentDecisions).toBe(i));
    const other = createDecider({ pool, models: cache });
    const { decision } = await other.run({ tenantId: normalTenant, decisionId: 'window-check', at: AT, seed: 1 });
    expect(decision.drift).toEqual({ judged: false, recentDecisions: seen.length });
  });

  it('the drift window misses no decision recorded after a later one was read', async () => {
    const id = await tenant('late');
    const watcher = createDecider({ pool, models: cache });
    // Another process's decision whose transaction began before the watcher's decisions and
    // records its row after the watcher has read them.
    let began!: () => void;
    let record!: () => void;
    const begun = new Promise<void>((r) => (began = r));
    const go = new Promise<void>((r) => (record = r));
    const late = withTenant(pool, id, async (tx) => {
      began();
      await go;
      await insertDecision(tx, {
        id: 'late-other',
        tradingDate: normal.tradingDate,
        structure: 'NONE',
        instrument: 'NIFTY',
        lots: 0,
        workflowId: 'late-other',
        runId: 'late-other',
        status: 'refused',
        snapshotId: normal.snapshotId,
        modelVersions: normal.models,
        gateOutcomes: normal.gates,
        costBreakdown: {},
        expectedPnl: null,
        netEv: null,
        why: { ...normal, decisionId: 'late-other' },
      });
    });
    await begun;
    await new Promise((r) => setTimeout(r, 50));
    await watcher.run({ tenantId: id, decisionId: 'late-1', at: AT, seed: 1 });
    const second = await watcher.run({ tenantId: id, decisionId: 'late-2', at: AT, seed: 1 });
    expect(second.decision.drift.recentDecisions).toBe(1);
    record();
    await late;
    const third = await watcher.run({ tenantId: id, decisionId: 'late-3', at: AT, seed: 1 });
    expect(third.decision.drift.recentDecisions).toBe(3);
  });

  it('an expected P&L that does not cover the costs is refused with the cost reason', () => {
    const refused = seen.find((d) => d.reasons.some((r) => r.source === 'costs'));
    expect(refused).toBeDefined();
    expect(refused!.status).toBe('refused');
    expect(refused!.reasons.find((r) => r.source === 'costs')!.code).toBe('NET_EV_NON_POSITIVE');
    expect(Number(refused!.netEv)).toBeLessThanOrEqual(0);
    expect(Number(refused!.netEv)).toBeCloseTo(Number(refused!.expectedPnl!.total) - Number(refused!.costs!.total), 2);
  });

  it('decides once per id: a second call returns the stored decision and writes no row', async () => {
    const again = await decide({ tenantId: normalTenant, decisionId: normal.decisionId, at: AT, seed: 999 });
    expect(again.created).toBe(false);
    expect(again.decision).toEqual(JSON.parse(JSON.stringify(normal)));
    const n = await withTenant(pool, normalTenant, (tx) =>
      tx.client.query('SELECT count(*)::int AS n FROM decisions WHERE id = $1', [normal.decisionId]),
    );
    expect(n.rows[0].n).toBe(1);
  });

  it('the activity returns the slim outcome into history; the whole why stays in the row', async () => {
    const { decide: activity } = createDecideActivities({ pool, models: cache });
    const r = await activity({ tenantId: normalTenant, decisionId: normal.decisionId, at: AT, seed: 999 });
    expect(r).toEqual({ created: false, decision: JSON.parse(JSON.stringify(decisionOutcome(normal))) });
    expect(r.decision).toMatchObject({ status: 'trade', structure: normal.structure, lots: normal.lots });
    expect(r.decision.gates.map((g) => g.wall)).toHaveLength(7);
    const slim = JSON.stringify(r.decision).length;
    const whole = JSON.stringify(normal).length;
    process.stderr.write(`[decide] outcome ${slim} bytes, whole decision ${whole} bytes\n`);
    expect(slim * 5).toBeLessThan(whole);
  });

  it('a placed decision can be followed to its fills in one query, and by qs decisions show', async () => {
    const id = await paperTenant(pool);
    const seed = Number(normal.decisionId.split('-')[1]);
    const { decision } = await decide({ tenantId: id, decisionId: `placed-${seed}`, at: AT, seed });
    expect(decision.status).toBe('trade');
    // The trading day's path on paper: the decided structure and lots, built on the paper market, placed.
    const input = await placementInput(pool, id, decision.structure!, decision.lots, FAST, decision.decisionId);
    const placed = await orderWorkers(pool).run(async () => place(await testClient(), input));
    expect(placed.status).toBe('filled');
    const chain = (await decisionProvenance(pool, id, decision.decisionId))!;
    expect(chain.decision).toMatchObject({
      id: decision.decisionId,
      status: 'filled',
      snapshotId: decision.snapshotId,
      modelVersions: JSON.parse(JSON.stringify(decision.models)),
      why: JSON.parse(JSON.stringify(decision)),
    });
    expect(chain.trades).toHaveLength(1);
    const trade = chain.trades[0]!;
    expect(trade).toMatchObject({ tradeId: decision.decisionId, status: 'filled', workflowId: placed.workflowId });
    expect(trade.decision).toMatchObject({ id: decision.decisionId });
    expect(trade.legs.map((l) => l.tag)).toEqual(placed.legs.map((l) => l.tag));
    for (const leg of trade.legs) {
      expect(leg.brokerOrderId).toBeTruthy();
      expect(leg.fills.reduce((n, f) => n + f.quantity, 0)).toBe(leg.filledQuantity);
      expect(leg.filledQuantity).toBe(leg.quantity);
    }
    const slug = (await pool.query('SELECT slug FROM tenants WHERE id = $1', [id])).rows[0].slug as string;
    const env = {
      QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
      DATABASE_URL: testEnv().adminUrl,
      QS_APP_DATABASE_URL: testEnv().appUrl,
    };
    const shown = await runQs(['decisions', 'show', decision.decisionId, '--tenant', slug, '--json'], env);
    expect(shown.code).toBe(0);
    const json = JSON.parse(shown.stdout);
    expect(json).toMatchObject({ decisionId: decision.decisionId, status: 'trade', outcome: 'filled' });
    expect(json.provenance.trades[0].legs.map((l: { tag: string }) => l.tag)).toEqual(trade.legs.map((l) => l.tag));
    const text = await runQs(['decisions', 'show', decision.decisionId, '--tenant', slug], env);
    expect(text.stdout).toContain(`trade ${decision.decisionId}: filled`);
    expect(text.stdout).toContain(`fill ${trade.legs[0]!.fills[0]!.id}:`);
    const missing = await runQs(['decisions', 'show', 'no-such-decision', '--tenant', slug], env);
    expect({ code: missing.code, stderr: missing.stderr.trim() }).toEqual({
      code: 2,
      stderr: `qs: <id>: no decision no-such-decision for tenant ${slug}`,
    });
  });

  it('a factor the weekly evaluation switched off is computed and stored but no longer moves the stack', async () => {
    const admin = testPool('admin');
    const seed = Number(normal.decisionId.split('-')[1]);
    await admin.query(
      `INSERT INTO factor_pool (factor, status, direction, reason, period)
       VALUES ('mom_30m', 'candidate', NULL, 'IC_DECAYED', 'decide-test')`,
    );
    try {
      const { decision } = await decide({ tenantId: normalTenant, decisionId: `off-${seed}`, at: AT, seed });
      expect(decision.switchedOffFactors).toEqual(['mom_30m']);
      expect(decision.factors.mom_30m).toBe(normal.factors.mom_30m);
      expect(typeof decision.factors.mom_30m).toBe('number');
      // Same market, same models: only the switched-off input differs, and the modules reading it moved.
      const module = (d: Decision, name: string) => d.signals.find((x) => x.module === name);
      expect(module(decision, 'trend_persistence')).not.toEqual(module(normal, 'trend_persistence'));
      expect(normal.switchedOffFactors).toEqual([]);
    } finally {
      await admin.query("DELETE FROM factor_pool WHERE period = 'decide-test'");
    }
  });

  it('a tenant’s own limits size the decision and refuse past its exposure, with the numbers', async () => {
    const id = await tenant('limits');
    const slug = (await pool.query('SELECT slug FROM tenants WHERE id = $1', [id])).rows[0].slug as string;
    const env = {
      QS_DATA_DIR: `${testEnv().tmp}/no-stack`,
      DATABASE_URL: testEnv().adminUrl,
      QS_APP_DATABASE_URL: testEnv().appUrl,
    };
    const set = await runQs(
      ['limits', 'set', '--tenant', slug, '--max-open-lots', '3', '--max-lots-per-order', '1', '--json'],
      env,
    );
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ source: 'tenant', maxOpenLots: 3, maxLotsPerOrder: 1 });
    const shown = await runQs(['limits', 'show', '--tenant', slug], env);
    expect(shown.stdout.trim()).toBe(
      'tenant limits: 1 lots per order, 40 lots per day, 3 leg-lots open, daily loss 25000.00',
    );
    const bad = await runQs(['limits', 'set', '--tenant', slug, '--max-lots-per-order', '50'], env);
    expect({ code: bad.code, stderr: bad.stderr.trim() }).toEqual({
      code: 2,
      stderr: 'qs: --max-lots-per-order 50 is above --max-lots-per-day 40',
    });
    // Two leg-lots already open (a short call bought at the mid: no loss to trip another wall).
    const leg = normal.legs[0]!;
    const symbol = formatTradingsymbol({ instrument: 'NIFTY', expiry: leg.expiry, strike: leg.strike, type: leg.type });
    await withTenant(pool, id, (tx) =>
      tx.client.query(
        `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
         VALUES ($1, $2, 'NIFTY', $3, $4)`,
        [id, symbol, -2 * lotSize('NIFTY', '2026-03-10'), leg.mid.toFixed(2)],
      ),
    );
    const seed = Number(normal.decisionId.split('-')[1]);
    const { decision } = await decide({ tenantId: id, decisionId: 'limits-1', at: AT, seed });
    expect(decision.limits).toMatchObject({ source: 'tenant', maxLotsPerOrder: 1, maxOpenLots: 3, openLots: 2 });
    expect(decision.lots).toBe(1);
    expect(decision.status).toBe('refused');
    const reason = decision.reasons.find((r) => r.code === 'TENANT_MAX_OPEN_LOTS')!;
    expect(reason.source).toBe('limits');
    expect(reason.detail).toBe(
      `open lots 2 + 1 lots × ${decision.legs.length} legs = ${2 + decision.legs.length} > maxOpenLots 3 ` +
        '(tenant limits)',
    );
    const audit = await withTenant(pool, id, (tx) =>
      tx.client.query("SELECT payload FROM audit_log WHERE event_type = 'limits.set'"),
    );
    expect(audit.rows[0].payload).toMatchObject({ before: null, after: { maxOpenLots: 3 } });
  });

  it('two decisions of one tenant at once spend its last lots of the day once', async () => {
    const id = await tenant('budget');
    await withTenant(pool, id, (tx) =>
      setTenantLimits(
        tx,
        { maxLotsPerOrder: normal.lots, maxLotsPerDay: normal.lots, maxOpenLots: 1000, maxDailyLoss: '25000.00' },
        { userId: null, actor: 'decide-test' },
      ),
    );
    const seed = Number(normal.decisionId.split('-')[1]);
    // Inserts into decisions wait on the table while reads go on: each decision has read the day's
    // lots before either records its own, unless one waits for the other before reading.
    const gate = await testPool('admin').connect();
    let both;
    try {
      await gate.query('BEGIN; LOCK TABLE decisions IN SHARE MODE');
      const running = Promise.all(
        ['budget-a', 'budget-b'].map((decisionId) => decide({ tenantId: id, decisionId, at: AT, seed })),
      );
      await until('both decisions waiting', async () => {
        const { rows } = await gate.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted');
        return rows[0]!.n >= 2;
      });
      await gate.query('COMMIT');
      both = await running;
    } finally {
      gate.release();
    }
    const decisions = both.map((b) => b.decision);
    expect(decisions.filter((d) => d.status === 'trade')).toHaveLength(1);
    const other = decisions.find((d) => d.status !== 'trade')!;
    expect(other.reasons.map((r) => r.code)).toContain('LOTS_PER_DAY_EXCEEDED');
    const spent = await withTenant(pool, id, (tx) =>
      tx.client.query("SELECT COALESCE(SUM(lots), 0)::int AS lots FROM decisions WHERE status = 'trade'"),
    );
    expect(spent.rows[0].lots).toBe(normal.lots);
  });

  it('a kill switch refuses at the kill-switch wall with its numbers', async () => {
    const id = await tenant('kill');
    await withTenant(pool, id, (tx) =>
      setKillSwitch(tx, { scope: 'tenant', target: '*', active: true, reason: 'test stop', userId: null }),
    );
    const seed = Number(normal.decisionId.split('-')[1]);
    const { decision } = await decide({ tenantId: id, decisionId: 'kill-1', at: AT, seed });
    expect(decision.status).toBe('refused');
    const wall = decision.gates.find((g) => g.wall === 'kill-switch')!;
    expect(wall.pass).toBe(false);
    expect(wall.reasonCode).toBeTruthy();
    expect(wall.numbers).toMatchObject({ activeSwitches: 1, switches: 'tenant:* (test stop)' });
    expect(decision.reasons.map((r) => r.code)).toContain(wall.reasonCode);
    // The refusal is in the tenant's audit log, which the notifier reads.
    const { rows } = await withTenant(pool, id, ({ client }) =>
      client.query("SELECT payload FROM audit_log WHERE tenant_id = $1 AND event_type = 'decision.refused'", [id]),
    );
    expect(rows.map((r) => r.payload)).toEqual([
      {
        decisionId: 'kill-1',
        instrument: 'NIFTY',
        walls: expect.arrayContaining([{ wall: 'kill-switch', reasonCode: wall.reasonCode }]),
      },
    ]);
  });

  it('a tenant past its daily loss limit is refused by the loss wall', async () => {
    const id = await tenant('loss');
    // A short ATM call bought back far above where it was sold: priced on the snapshot, a loss past 25,000.
    const front = normal.legs[0]!;
    const symbol = formatTradingsymbol({
      instrument: 'NIFTY',
      expiry: front.expiry,
      strike: front.strike,
      type: front.type,
    });
    await withTenant(pool, id, (tx) =>
      tx.client.query(
        `INSERT INTO positions (tenant_id, tradingsymbol, instrument, quantity, average_price)
         VALUES ($1, $2, 'NIFTY', $3, $4)`,
        [id, symbol, -1300, (front.mid - 40).toFixed(2)],
      ),
    );
    const seed = Number(normal.decisionId.split('-')[1]);
    const { decision } = await decide({ tenantId: id, decisionId: 'loss-1', at: AT, seed });
    expect(decision.status).toBe('refused');
    const wall = decision.gates.find((g) => g.wall === 'loss-limits')!;
    expect(wall.pass).toBe(false);
    expect(wall.reasonCode).toBe('DAILY_LOSS_LIMIT');
    expect(Number(wall.numbers.dayPnl ?? NaN)).toBeLessThan(-25_000);
    expect(wall.numbers.maxDailyLoss).toBe('25000.00');
    expect(decision.reasons.some((r) => r.source === 'castle' && r.code === wall.reasonCode)).toBe(true);
  });

  it('rolling back the signal stack changes the version decide reports, without a restart', async () => {
    const stack2 = await save('signal_stack', '2026-03-13');
    await until(
      'v2 served',
      async () => (await cache.get('signal_stack', normalTenant))?.id.version === stack2.version,
    );
    const seed = Number(normal.decisionId.split('-')[1]);
    const v2 = await decide({ tenantId: normalTenant, decisionId: 'swap-v2', at: AT, seed });
    expect(v2.decision.models.find((m) => m.typeId === 'signal_stack')).toEqual({
      typeId: 'signal_stack',
      version: stack2.version,
      sha256: stack2.sha256,
    });
    // A caller that pinned v1 (a trading day opened before the promotion) keeps deciding with v1.
    const { decide: activity, decisionModels } = createDecideActivities({ pool, models: cache });
    const pins = await decisionModels({ tenantId: normalTenant });
    expect(pins.find((p) => p.typeId === 'signal_stack')).toMatchObject({ version: stack2.version, scope: 'global' });
    const v1Pin = { typeId: 'signal_stack', version: stack1.version, sha256: stack1.sha256, scope: 'global' as const };
    const pinned = await activity({ tenantId: normalTenant, decisionId: 'pinned-v1', at: AT, seed, models: [v1Pin] });
    expect(pinned.decision.models.find((m) => m.typeId === 'signal_stack')).toEqual({
      typeId: 'signal_stack',
      version: stack1.version,
      sha256: stack1.sha256,
    });
    // A pin whose bytes are not the pinned ones, or a malformed pin, is refused and decides nothing.
    const wrongSha = { ...v1Pin, sha256: stack2.sha256 };
    await expect(
      activity({ tenantId: normalTenant, decisionId: 'pinned-bad', at: AT, seed, models: [wrongSha] }),
    ).rejects.toMatchObject({ type: 'PinnedModelMismatch' });
    const typo = { ...v1Pin, typeId: 'signal_stak' };
    await expect(
      activity({ tenantId: normalTenant, decisionId: 'pinned-bad', at: AT, seed, models: [typo] }),
    ).rejects.toMatchObject({ type: 'BadDecisionInput' });
    await registry.rollback('signal_stack', 'global', { reason: 'decide test' });
    await until(
      'v1 served again',
      async () => (await cache.get('signal_stack', normalTenant))?.id.version === stack1.version,
    );
    const back = await decide({ tenantId: normalTenant, decisionId: 'swap-back', at: AT, seed });
    expect(back.decision.models.find((m) => m.typeId === 'signal_stack')).toEqual({
      typeId: 'signal_stack',
      version: stack1.version,
      sha256: stack1.sha256,
    });
  });
});
