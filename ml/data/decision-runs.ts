/**
 * Training data of the decision models (signal_stack, strategy_agents): simulated multi-day runs
 * through the decision path (domain/signals buildSignalDataset: snapshot → factors → what
 * followed). A run is one seed; its raw row carries only what pins it — the seed, the data
 * version's end and the window — so the generic holdout split (by group = run) holds out whole
 * unseen runs, and the contract rebuilds exactly the same rows to re-measure a candidate.
 *
 * Sizes: RUNS × (TRAIN + CALIBRATION + TEST days) × 5 decision times. The defaults (8 runs × 10
 * sampled days, ~400 rows, seconds to build) keep the weekly retrain and the tests quick;
 * production should run ≥ 36 runs (the out-of-sample test's size, ~1,800 rows, about a minute).
 */
import { daysBetween, type IsoDate } from '../../domain/dates';
import { FACTORS } from '../../domain/factors';
import { createSource, simulateDays, type MarketDay } from '../../domain/market';
import { REGIME_FACTORS } from '../../domain/regime';
import { buildSignalDataset, type SignalRow } from '../../domain/signals';
import { snapshotExpiries } from '../../domain/snapshot/snapshot-calendar';
import { armRewards } from '../../domain/decision/rewards';
import type { StructureKind } from '../../domain/strategies';
import { assertDataVersion, tradingWindow } from './market-window';
import type { RawRow } from './rule1';

export const DECISION_RUNS = 8;
export const DECISION_WARMUP_DAYS = 22;
/** Sampled days per run: train, then calibration (a later held-out window). */
export const DECISION_TRAIN_DAYS = 6;
export const DECISION_CALIBRATION_DAYS = 4;
export const DECISION_TIMES = ['10:00', '11:00', '12:00', '13:00', '14:00'] as const;
export const DECISION_INSTRUMENT = 'NIFTY' as const;
export const RUN_FEATURES = ['run_seed', 'end_day', 'sample_days'] as const;

const EPOCH: IsoDate = '2000-01-01';

/** One raw row per simulated run; seeds depend on the data version so each week sees new paths. */
export function runRows(dataVersion: string, sampleDays: number, runs = DECISION_RUNS): RawRow[] {
  const end = assertDataVersion(dataVersion);
  const endDay = daysBetween(EPOCH, end);
  return Array.from({ length: runs }, (_, k) => ({
    context_source: 'synthetic' as const,
    group: `run-${String(k).padStart(3, '0')}`,
    label: 0,
    run_seed: endDay * 1000 + k,
    end_day: endDay,
    sample_days: sampleDays,
  }));
}

export interface RunSpec {
  readonly seed: number;
  readonly end: IsoDate;
  readonly sampleDays: number;
}

/** Reads a run back from an example's x (RUN_FEATURES order). */
export function runSpec(x: readonly number[]): RunSpec {
  const [seed, endDay, sampleDays] = x as [number, number, number];
  const d = new Date(Date.parse(`${EPOCH}T00:00:00Z`) + endDay * 86_400_000).toISOString().slice(0, 10);
  return { seed, end: d, sampleDays };
}

function fromDate(spec: RunSpec): IsoDate {
  return tradingWindow(spec.end, DECISION_WARMUP_DAYS + spec.sampleDays)[0]!;
}

/**
 * The rows of some runs. `role` 'fit' splits each run's days train → calibration (→ test for
 * the rest); 'holdout' makes every sampled row a test row (unseen runs).
 */
export function decisionRows(runs: readonly RunSpec[], role: 'fit' | 'holdout'): SignalRow[] {
  return runs.flatMap((r) =>
    buildSignalDataset({
      instrument: DECISION_INSTRUMENT,
      fromDate: fromDate(r),
      seeds: [r.seed],
      warmupDays: DECISION_WARMUP_DAYS,
      sampleDays: r.sampleDays,
      trainDays: role === 'fit' ? Math.min(DECISION_TRAIN_DAYS, r.sampleDays - 1) : 0,
      calibrationDays: role === 'fit' ? r.sampleDays - Math.min(DECISION_TRAIN_DAYS, r.sampleDays - 1) : 0,
      decisionTimes: DECISION_TIMES,
      factors: [...FACTORS, ...REGIME_FACTORS],
    }),
  );
}

export interface RewardedRow extends SignalRow {
  readonly rewards: Record<StructureKind, number | null>;
}

/** The same rows with every structure's per-lot net P&L over the signal horizon. */
export function rewardedRows(runs: readonly RunSpec[], role: 'fit' | 'holdout', horizon = 60): RewardedRow[] {
  const rows = decisionRows(runs, role);
  const days = new Map<string, MarketDay>();
  for (const r of runs)
    for (const d of simulateDays({
      instrument: DECISION_INSTRUMENT,
      fromDate: fromDate(r),
      days: DECISION_WARMUP_DAYS + r.sampleDays,
      seed: r.seed,
    }))
      days.set(`${r.seed}|${d.date}`, d);
  return rows.map((row) => {
    const source = createSource(days.get(`${row.seed}|${row.date}`)!);
    const expiries = snapshotExpiries(DECISION_INSTRUMENT, row.date);
    const entry = source.chainAt(row.minute, { expiries });
    const exit = source.chainAt(row.minute + horizon, { expiries });
    return { ...row, rewards: armRewards(entry, exit) };
  });
}
