/** Decisions: what was chosen, by which workflow run, and how it ended (status, costs). */
import { and, eq } from 'drizzle-orm';
import { preparedStatement } from './prepared';
import { decisions } from './schema';
import type { TenantLimitsRow } from './tenant-limits';
import type { TenantRiskRecord } from './tenant-risk-state';
import type { TenantTx } from './tenant';

export interface NewDecision {
  id: string;
  tradingDate: string;
  structure: string;
  instrument: string;
  lots: number;
  workflowId: string;
  runId: string;
}

/** Written once per decision id, whatever the retries. */
export async function recordDecision(tx: TenantTx, d: NewDecision): Promise<void> {
  await tx.db
    .insert(decisions)
    .values({ tenantId: tx.tenantId, ...d, status: 'placing' })
    .onConflictDoNothing({ target: [decisions.tenantId, decisions.id] });
}

export async function setDecisionOutcome(
  tx: TenantTx,
  id: string,
  outcome: { status: string; costBreakdown: unknown },
): Promise<void> {
  await tx.db
    .update(decisions)
    .set(outcome)
    .where(and(eq(decisions.tenantId, tx.tenantId), eq(decisions.id, id)));
}

export interface StoredDecision {
  id: string;
  tradingDate: string;
  status: string;
  snapshotId: string | null;
  modelVersions: unknown;
  gateOutcomes: unknown;
  costBreakdown: unknown;
  expectedPnl: string | null;
  netEv: string | null;
  why: unknown;
  workflowId: string;
  runId: string;
  createdAt: Date;
}

/** An audit event written with a new decision (and only when the decision is new). */
export interface DecisionAudit {
  eventType: string;
  payload: unknown;
}

/*
 * The decision row and, when it is new, its audit event in one statement (one round trip); the
 * audit row goes through audit_log's chain trigger like any other. created_at is the insert's
 * time, not its transaction's start: decide inserts under the tenant's lock, so a tenant's
 * decisions commit in created_at order and a reader of "newer than the last one seen" (the drift
 * window) misses none.
 */
const INSERT_DECISION = preparedStatement(
  'insert-decision',
  `
WITH d AS (
  INSERT INTO decisions (tenant_id, id, trading_date, structure, instrument, lots, workflow_id, run_id, status,
                         snapshot_id, model_versions, gate_outcomes, cost_breakdown, expected_pnl, net_ev, why,
                         created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, $13::jsonb, $14, $15, $16::jsonb,
          clock_timestamp())
  ON CONFLICT (tenant_id, id) DO NOTHING
  RETURNING id),
a AS (
  INSERT INTO audit_log (tenant_id, user_id, event_type, payload, seq, prev_hash, hash)
  SELECT $1, NULL, $17, $18::jsonb, 0, '', '' FROM d WHERE $17::text IS NOT NULL
  RETURNING seq)
SELECT (SELECT count(*) FROM d)::int AS created, (SELECT count(*) FROM a)::int AS audited`,
);

/**
 * The full decision row written by decide: once per id (a repeated decide keeps the first); true
 * when this call wrote it. `audit` is recorded in the same statement, only for a new row.
 */
export async function insertDecision(
  tx: TenantTx,
  d: NewDecision & {
    status: string;
    snapshotId: string;
    modelVersions: unknown;
    gateOutcomes: unknown;
    costBreakdown: unknown;
    expectedPnl: string | null;
    netEv: string | null;
    why: unknown;
  },
  audit?: DecisionAudit,
): Promise<boolean> {
  const { rows } = await tx.client.query<{ created: number }>(
    INSERT_DECISION.with([
      tx.tenantId,
      d.id,
      d.tradingDate,
      d.structure,
      d.instrument,
      d.lots,
      d.workflowId,
      d.runId,
      d.status,
      d.snapshotId,
      JSON.stringify(d.modelVersions),
      JSON.stringify(d.gateOutcomes),
      JSON.stringify(d.costBreakdown),
      d.expectedPnl,
      d.netEv,
      JSON.stringify(d.why),
      audit?.eventType ?? null,
      audit ? JSON.stringify(audit.payload ?? {}) : null,
    ]),
  );
  return rows[0]!.created > 0;
}

export async function decisionById(tx: TenantTx, id: string): Promise<StoredDecision | undefined> {
  const [row] = await tx.db
    .select({
      id: decisions.id,
      tradingDate: decisions.tradingDate,
      status: decisions.status,
      snapshotId: decisions.snapshotId,
      modelVersions: decisions.modelVersions,
      gateOutcomes: decisions.gateOutcomes,
      costBreakdown: decisions.costBreakdown,
      expectedPnl: decisions.expectedPnl,
      netEv: decisions.netEv,
      why: decisions.why,
      workflowId: decisions.workflowId,
      runId: decisions.runId,
      createdAt: decisions.createdAt,
    })
    .from(decisions)
    .where(and(eq(decisions.tenantId, tx.tenantId), eq(decisions.id, id)));
  return row;
}

/** What decide reads before it decides: a stored decision of this id, else the tenant's state. */
export interface DecisionState {
  /** The decision already stored under this id (its why), or null. */
  stored: unknown;
  record: TenantRiskRecord;
  limits: TenantLimitsRow | null;
  /** Factors the weekly evaluation switched off. */
  switchedOff: string[];
  /**
   * The drift monitor's window: factor values of the tenant's latest decisions on the
   * instrument made after `since` (all of the latest when null), newest first, at most 200.
   */
  recent: Array<{ at: string; factors: Record<string, number | null> }>;
}

/*
 * One statement for all of it (the castle's inputs as tenantRiskRecord reads them, the tenant's
 * limits, the factor pool): decide runs this and its insert in one transaction, a few round trips
 * in all instead of one per table.
 */
const DECISION_STATE = preparedStatement(
  'decision-state',
  `
SELECT
  (SELECT why FROM decisions WHERE tenant_id = $1 AND id = $2) AS stored,
  COALESCE((SELECT status FROM tenants WHERE id = $1), 'unknown') AS status,
  COALESCE((SELECT reconciliation_clean FROM tenant_trading_state WHERE tenant_id = $1), true) AS "reconciliationClean",
  COALESCE((SELECT json_agg(json_build_object('scope', scope, 'target', target, 'reason', reason))
              FROM kill_switches WHERE tenant_id = $1 AND active), '[]'::json) AS "killSwitches",
  (SELECT exchange_state->>'cash' FROM paper_accounts WHERE tenant_id = $1) AS cash,
  COALESCE((SELECT json_agg(json_build_object('tradingsymbol', tradingsymbol, 'quantity', quantity,
                                              'averagePrice', average_price::text))
              FROM positions WHERE tenant_id = $1 AND quantity <> 0), '[]'::json) AS positions,
  (SELECT COALESCE(SUM(realized_pnl), 0)::text FROM positions WHERE tenant_id = $1 AND updated_at >= $4)
    AS "realisedToday",
  (SELECT COALESCE(SUM(lots), 0)::int FROM decisions
    WHERE tenant_id = $1 AND trading_date = $3 AND status IN ('trade', 'placing', 'filled')) AS "lotsToday",
  (SELECT json_build_object('maxLotsPerOrder', max_lots_per_order, 'maxLotsPerDay', max_lots_per_day,
                            'maxOpenLots', max_open_lots, 'maxDailyLoss', max_daily_loss::text)
     FROM tenant_limits WHERE tenant_id = $1) AS limits,
  ARRAY(SELECT factor FROM factor_pool WHERE status = 'candidate' ORDER BY factor) AS "switchedOff",
  COALESCE((SELECT json_agg(json_build_object('at', r.at, 'factors', r.factors) ORDER BY r.at DESC)
              FROM (SELECT created_at::text AS at, why->'factors' AS factors FROM decisions
                     WHERE tenant_id = $1 AND instrument = $5 AND why ? 'factors'
                       AND created_at > $6::timestamptz
                     ORDER BY created_at DESC LIMIT 200) r), '[]'::json) AS recent`,
);

export async function decisionState(
  tx: TenantTx,
  decisionId: string,
  tradingDate: string,
  dayStart: Date,
  drift: { instrument: string; since: string | null },
): Promise<DecisionState> {
  const { rows } = await tx.client.query(
    // '-infinity', not null: a bare parameter keeps the window's bound in the index scan of a generic
    // plan, which under row-level security a COALESCE or an IS NULL branch would not.
    DECISION_STATE.with([tx.tenantId, decisionId, tradingDate, dayStart, drift.instrument, drift.since ?? '-infinity']),
  );
  const r = rows[0];
  return {
    stored: r.stored,
    record: {
      status: r.status,
      reconciliationClean: r.reconciliationClean,
      killSwitches: r.killSwitches,
      cash: r.cash,
      positions: r.positions,
      realisedToday: r.realisedToday,
      lotsToday: r.lotsToday,
    },
    limits: r.limits,
    switchedOff: r.switchedOff,
    recent: r.recent,
  };
}
