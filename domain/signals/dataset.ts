/**
 * Training data for the signal modules (and the regime detector): rows of (factor values at a
 * decision, what followed) from simulated multi-day runs, through the same path decisions take
 * (buildDecisionSnapshot + computeFactors). Each seed is one run of consecutive days: the first
 * `warmupDays` are history only (the 20- and 22-day factors need them), then every sampled day
 * gives one row per decision time, its snapshot seeing the `warmupDays` days before it (a window
 * of fixed length, so history-hungry factors mean the same thing on every row) and the day's
 * previous decision snapshot. Rows are labelled train / calibration / test in time order
 * within each seed, so calibration is a held-out window after training and nothing from the
 * future leaks backwards; a run with trainDays = calibrationDays = 0 is all test (unseen seeds).
 */
import type { IsoDate } from '../dates';
import { computeFactors } from '../factors/define-factor';
import { FACTORS } from '../factors/registry';
import type { Factor, FactorValues } from '../factors/types';
import type { Instrument } from '../instruments';
import { createSource, simulateDays, type ChainOptions, type Regime } from '../market';
import { buildDecisionSnapshot, summariseDay, type DecisionSnapshot } from '../snapshot';
import { forwardTargets, type ForwardTargets } from './targets';

export const DATASET_SPLITS = ['train', 'calibration', 'test'] as const;
export type DatasetSplit = (typeof DATASET_SPLITS)[number];

export interface SignalRow {
  readonly seed: number;
  readonly date: IsoDate;
  /** Minutes since 09:15 at the decision. */
  readonly minute: number;
  readonly split: DatasetSplit;
  /** The simulator's regime at the decision: ground truth for evaluation, never a feature. */
  readonly regime: Regime;
  readonly snapshotId: string;
  readonly factors: FactorValues;
  readonly targets: ForwardTargets;
}

export interface SignalDatasetOptions {
  readonly instrument: Instrument;
  readonly fromDate: IsoDate;
  readonly seeds: readonly number[];
  /** Days simulated before the first sampled day, used only as history (default 25). */
  readonly warmupDays?: number;
  /** Sampled days per seed. */
  readonly sampleDays: number;
  /** Decision times, 'HH:MM' IST, ascending; each plus the horizon must end by 15:30. */
  readonly decisionTimes: readonly string[];
  /** Forward horizon in minutes (default 60). */
  readonly horizonMinutes?: number;
  /** Per seed: the first trainDays sampled days are train, the next calibrationDays calibration, the rest test. */
  readonly trainDays?: number;
  readonly calibrationDays?: number;
  /** Factors to compute (default all of FACTORS); modules read theirs by name. */
  readonly factors?: readonly Factor[];
  /** Chain shape for the snapshots; train and serve must use the same one (default: the snapshot's own). */
  readonly chain?: ChainOptions;
}

export const DEFAULT_HORIZON_MINUTES = 60;

export function buildSignalDataset(options: SignalDatasetOptions): SignalRow[] {
  const warmup = options.warmupDays ?? 25;
  const horizon = options.horizonMinutes ?? DEFAULT_HORIZON_MINUTES;
  const trainDays = options.trainDays ?? 0;
  const calibrationDays = options.calibrationDays ?? 0;
  const factors = options.factors ?? FACTORS;
  const rows: SignalRow[] = [];
  for (const seed of options.seeds) {
    const days = simulateDays({
      instrument: options.instrument,
      fromDate: options.fromDate,
      days: warmup + options.sampleDays,
      seed,
    });
    // Summarise each day once; every later snapshot reuses the summaries as its history.
    const daily = days.map((d) => summariseDay(d));
    for (let j = 0; j < options.sampleDays; j++) {
      const i = warmup + j;
      const day = days[i]!;
      const source = createSource(day);
      const split: DatasetSplit = j < trainDays ? 'train' : j < trainDays + calibrationDays ? 'calibration' : 'test';
      let previous: DecisionSnapshot | null = null;
      for (const at of options.decisionTimes) {
        const snapshot = buildDecisionSnapshot(source, at, {
          days: daily.slice(Math.max(0, i - warmup), i),
          previous,
          chain: options.chain,
        });
        const targets = forwardTargets(day, snapshot.minute, horizon);
        if (!targets) throw new RangeError(`decision time ${at} plus ${horizon} minutes runs past the close`);
        rows.push({
          seed,
          date: day.date,
          minute: snapshot.minute,
          split,
          regime: snapshot.sourceRegime,
          snapshotId: snapshot.id,
          factors: computeFactors(snapshot, factors),
          targets,
        });
        previous = snapshot;
      }
    }
  }
  return rows;
}

export function rowsOf(rows: readonly SignalRow[], split: DatasetSplit): SignalRow[] {
  return rows.filter((r) => r.split === split);
}
