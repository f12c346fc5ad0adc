/**
 * The weekly FactorEvaluation's activities (ml queue). evaluateFactorWeek computes one week's
 * out-of-sample IC of every factor on simulated runs no model trained on (seeds of their own),
 * once: a stored week is not recomputed. reviewFactorPool reads the rolling window of weekly
 * ICs, reviews the pool (domain/factors/evaluation) and records it once per week — reviews,
 * the pool's changes and an audit row per change, in one transaction.
 */
import type { Pool } from 'pg';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { FactorEvaluationResult } from '../contracts/factor-evaluation';
import {
  insertPeriodIcs,
  periodIcs,
  periodsWithIcs,
  poolRows,
  recordReviews,
  reviewsOf,
  switchedOffFactorNames,
  type ReviewRow,
} from '../db/factor-pool';
import { daysBetween, isIsoDate } from '../domain/dates';
import { DECISION_FACTORS } from '../domain/decision/decide';
import { icTrend, reviewPool, weekIcs, type PoolEntry, type PoolRule } from '../domain/factors/evaluation';
import { isTradingDay } from '../domain/calendar';
import { callerWorkflow } from './decide';
import { decisionRows } from '../ml/data/decision-runs';

export const DEFAULT_EVALUATION_RUNS = 4;
/** Trading days of a week the runs sample (the week's own). */
const WEEK_DAYS = 5;
/** Seed block of the evaluation runs: apart from the training runs' (day·1000 + k, k < 100). */
const SEED_OFFSET = 500;

function checkPeriod(period: string): void {
  if (!isIsoDate(period) || !isTradingDay(period))
    throw ApplicationFailure.nonRetryable(`period ${period}: expected a trading day YYYY-MM-DD`, 'BadEvaluationInput');
}

function checkRule(rule: PoolRule): void {
  if (!(rule.promoteAt > rule.demoteBelow) || !Number.isInteger(rule.window) || rule.window < 2 || rule.window > 52)
    throw ApplicationFailure.nonRetryable(
      `pool rule ${JSON.stringify(rule)}: needs promoteAt > demoteBelow and a window of 2–52 weeks`,
      'BadEvaluationInput',
    );
}

const heartbeat = (details: unknown) => {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Called outside an activity (tests of the pure path): nothing to heartbeat.
  }
};

export function createFactorEvaluationActivities(deps: { pool: Pool }) {
  return {
    /** One week's ICs of every factor, computed once; true when this call computed them. */
    async evaluateFactorWeek(input: { period: string; runs?: number }): Promise<boolean> {
      checkPeriod(input.period);
      const runs = input.runs ?? DEFAULT_EVALUATION_RUNS;
      if (!Number.isInteger(runs) || runs < 1 || runs > 64)
        throw ApplicationFailure.nonRetryable(`runs: expected 1–64, got ${runs}`, 'BadEvaluationInput');
      if ((await periodsWithIcs(deps.pool, [input.period])).length > 0) return false;
      const day = daysBetween('2000-01-01', input.period);
      const rows = [];
      for (let k = 0; k < runs; k++) {
        heartbeat({ period: input.period, run: k, runs });
        rows.push(
          ...decisionRows(
            [{ seed: day * 1000 + SEED_OFFSET + k, end: input.period, sampleDays: WEEK_DAYS }],
            'holdout',
          ),
        );
        // Let the heartbeat and other activities run between runs.
        await new Promise((r) => setImmediate(r));
      }
      const ics = weekIcs(rows, DECISION_FACTORS);
      await insertPeriodIcs(
        deps.pool,
        ics.map((x) => ({ ...x, period: input.period })),
      );
      return true;
    },

    /** Reviews the pool on the window's ICs and records it once for the week. */
    async reviewFactorPool(input: {
      weekEnd: string;
      periods: readonly string[];
      computedPeriods: readonly string[];
      rule: PoolRule;
    }): Promise<FactorEvaluationResult> {
      checkPeriod(input.weekEnd);
      checkRule(input.rule);
      const wf = callerWorkflow();
      const ics = await periodIcs(deps.pool, input.periods);
      const stored = new Map((await poolRows(deps.pool)).map((r) => [r.factor, r]));
      const entries: PoolEntry[] = DECISION_FACTORS.map((f) => {
        const r = stored.get(f.name);
        return { name: f.name, status: r?.status ?? 'production', direction: r?.direction ?? null };
      });
      const decisions = reviewPool(entries, ics, input.rule);
      const rows: ReviewRow[] = decisions.map((d) => ({
        factor: d.name,
        ...d,
        icTrend: icTrend(ics.get(d.name) ?? []),
      }));
      const recorded = await recordReviews(deps.pool, input.weekEnd, rows, wf);
      // Reported in the library's order, whether reviewed now or read back.
      const order = new Map(DECISION_FACTORS.map((f, i) => [f.name, i]));
      const final = recorded
        ? rows
        : (await reviewsOf(deps.pool, input.weekEnd)).sort((a, b) => order.get(a.factor)! - order.get(b.factor)!);
      const brief = (r: ReviewRow) => ({ factor: r.factor, rollingIc: r.rollingIc, reason: r.reason });
      return {
        weekEnd: input.weekEnd,
        periods: input.periods,
        computedPeriods: input.computedPeriods,
        recorded,
        demoted: final.filter((r) => r.action === 'demote').map(brief),
        promoted: final.filter((r) => r.action === 'promote').map(brief),
        kept: final.filter((r) => r.action === 'keep').length,
        switchedOff: await switchedOffFactorNames(deps.pool),
      };
    },
  };
}

export type FactorEvaluationActivities = ReturnType<typeof createFactorEvaluationActivities>;
