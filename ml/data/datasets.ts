/**
 * Raw training rows for each model type from one data version (the training data's end date):
 * the simulated market window, and later real and persona trade rows from the database
 * (sources passed in). Every builder is deterministic in the data version.
 */
import { listExpiries, yearFraction } from '../../domain/calendar';
import { instrumentSpec } from '../../domain/instruments';
import { snapshotAt, type MarketDay } from '../../domain/market';
import { black76 } from '../../domain/pricing/black76';
import { atmVolAt, surfaceVol } from '../../domain/pricing/vol-surface';
import type { ModelTypeId } from '../model-types';
import { marketFeaturesAt, WARMUP_BARS } from './market-features';
import { DECISION_CALIBRATION_DAYS, DECISION_TRAIN_DAYS, runRows } from './decision-runs';
import { assertDataVersion, simulatedWindow } from './market-window';
import { stripRule1, type RawRow } from './rule1';
import { simulatedFills } from './simulated-fills';
import { personaProfileRows, PROFILE_PRIOR_DAYS } from './tenant-trades';

/** Trading days of history each type trains on (and holds out from). */
export const WINDOW_DAYS: Record<ModelTypeId, number> = {
  trend_classifier: 40,
  strike_selector: 14,
  slippage_coefficients: 12,
  anomaly_detector: 20,
  feature_drift_monitor: 30,
  // Sampled days per simulated run (after a warm-up): see decision-runs.ts.
  signal_stack: DECISION_TRAIN_DAYS + DECISION_CALIBRATION_DAYS,
  strategy_agents: DECISION_TRAIN_DAYS + DECISION_CALIBRATION_DAYS,
  // The persona population's window (the prior); a tenant's own trades come from its ledger.
  tenant_profile: PROFILE_PRIOR_DAYS,
};

export const TREND_HORIZON = 30;

export function trendRows(day: MarketDay): RawRow[] {
  const rows: RawRow[] = [];
  for (let i = WARMUP_BARS; i + TREND_HORIZON < day.bars.length; i += 5) {
    const up = day.bars[i + TREND_HORIZON]!.close > day.bars[i]!.close ? 1 : 0;
    rows.push({ context_source: 'synthetic', group: day.date, label: up, ...marketFeaturesAt(day, i) });
  }
  return rows;
}

/** Candidate strangle widths: sell the put at −z and the call at +z ATM standard deviations. */
export const STRIKE_CANDIDATES_Z = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5] as const;
export const STRIKE_ENTRY_MINUTES = [45, 90, 135, 180, 225, 270] as const;
export const STRIKE_EXIT_MINUTE = 370;

/**
 * One row per (entry minute, candidate width): sell the strangle at entry, buy it back at the
 * exit minute; the label is the short's P&L in percent of spot. Which width pays depends on
 * the move against the implied vol, which the market features describe.
 */
export function strikeRows(day: MarketDay): RawRow[] {
  const spec = instrumentSpec(day.instrument, day.date);
  const expiry = listExpiries(day.instrument, day.date, 1)[0]!;
  const exit = snapshotAt(day, STRIKE_EXIT_MINUTE);
  const exitYears = yearFraction(exit.timestamp, expiry);
  const exitForward = exit.spot * Math.exp((exit.rates.rate - exit.rates.dividendYield) * exitYears);
  const rows: RawRow[] = [];
  for (const minute of STRIKE_ENTRY_MINUTES) {
    const snap = snapshotAt(day, minute + 1);
    const years = yearFraction(snap.timestamp, expiry);
    const forward = snap.spot * Math.exp((snap.rates.rate - snap.rates.dividendYield) * years);
    const sd = atmVolAt(snap.surface, years) * Math.sqrt(Math.max(years, 1 / 365));
    const market = marketFeaturesAt(day, minute);
    for (const z of STRIKE_CANDIDATES_Z) {
      let pnl = 0;
      let premium = 0;
      for (const [type, sign] of [
        ['put', -1],
        ['call', 1],
      ] as const) {
        const strike = Math.round((forward * Math.exp(sign * z * sd)) / spec.strikeStep) * spec.strikeStep;
        const entry = black76({
          type,
          forward,
          strike,
          years,
          rate: snap.rates.rate,
          vol: surfaceVol(snap.surface, forward, strike, years),
        }).price;
        const close = black76({
          type,
          forward: exitForward,
          strike,
          years: exitYears,
          rate: exit.rates.rate,
          vol: surfaceVol(exit.surface, exitForward, strike, exitYears),
        }).price;
        pnl += entry - close;
        premium += entry;
      }
      rows.push({
        context_source: 'synthetic',
        group: day.date,
        label: (100 * pnl) / snap.spot,
        ...market,
        days_to_expiry: years * 365,
        width_z: z,
        premium_pct: (100 * premium) / snap.spot,
      });
    }
  }
  return rows;
}

export function anomalyRows(day: MarketDay): RawRow[] {
  const rows: RawRow[] = [];
  const b = day.bars;
  for (let i = WARMUP_BARS; i < b.length; i++) {
    rows.push({
      context_source: 'synthetic',
      group: day.date,
      label: 0,
      ret1: 100 * Math.log(b[i]!.close / b[i - 1]!.close),
      range_pct: (100 * (b[i]!.high - b[i]!.low)) / b[i]!.close,
      vol_change: 100 * (b[i]!.atmVol - b[i - 1]!.atmVol),
      rv30: marketFeaturesAt(day, i).rv30,
    });
  }
  return rows;
}

export function driftRows(day: MarketDay): RawRow[] {
  const rows: RawRow[] = [];
  for (let i = WARMUP_BARS; i < day.bars.length; i += 5)
    rows.push({ context_source: 'synthetic', group: day.date, label: 0, ...marketFeaturesAt(day, i) });
  return rows;
}

type DayTypeId = Exclude<ModelTypeId, 'signal_stack' | 'strategy_agents' | 'tenant_profile'>;
const BUILDERS: Record<DayTypeId, (day: MarketDay) => RawRow[]> = {
  trend_classifier: trendRows,
  strike_selector: strikeRows,
  slippage_coefficients: (day) => simulatedFills(day),
  anomaly_detector: anomalyRows,
  feature_drift_monitor: driftRows,
};

/**
 * Where rows beyond the simulator come from: persona trades (persona-trades.ts), a tenant's ledger (tenant-trades.ts).
 */
export type RowSource = (typeId: ModelTypeId, dataVersion: string) => Promise<RawRow[]>;

export function simulatorRows(typeId: ModelTypeId, dataVersion: string, windowDays = WINDOW_DAYS[typeId]): RawRow[] {
  const end = assertDataVersion(dataVersion);
  // The decision models train on whole simulated runs, one raw row per run.
  if (typeId === 'signal_stack' || typeId === 'strategy_agents') return runRows(end, windowDays);
  // Behaviour, not markets: the synthetic personas' closed trades over the window.
  if (typeId === 'tenant_profile') return personaProfileRows(end, windowDays);
  return simulatedWindow(end, windowDays).flatMap(BUILDERS[typeId]);
}

/**
 * Every row a training run sees: the simulator's window and each source's rows, all through
 * the Rule 1 strip (a source that hands over a persona field loses it here).
 */
export async function rawTrainingRows(
  typeId: ModelTypeId,
  dataVersion: string,
  sources: readonly RowSource[] = [],
  windowDays?: number,
): Promise<RawRow[]> {
  const rows = simulatorRows(typeId, dataVersion, windowDays);
  for (const source of sources) rows.push(...(await source(typeId, dataVersion)));
  return rows.map((r) => stripRule1(r) as RawRow);
}
