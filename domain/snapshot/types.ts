/**
 * The decision snapshot: everything one trading decision sees, as plain JSON so it passes
 * through Temporal, is stored under its id, and can be read back to replay the decision.
 * The id is the content hash of everything else (content-hash.ts), so equal inputs give equal
 * ids and a stored snapshot can be checked against its id.
 */
import type { IsoDate, IsoTimestamp } from '../dates';
import type { Holiday } from '../holidays';
import type { Instrument } from '../instruments';
import type { MarketRates, OptionChain, Regime } from '../market';
import type { SurfaceParams } from '../pricing/vol-surface';

export const DECISION_SNAPSHOT_VERSION = 1;

/** One completed minute of the index. */
export interface SnapshotBar {
  readonly timestamp: IsoTimestamp;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** One previous trading day, summarised. */
export interface DailyBar {
  readonly date: IsoDate;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  /** Σ of squared one-minute log returns (the first from the open): a daily variance, not annualised. */
  readonly realisedVariance: number | null;
  /** The day's closing 30-day ATM implied vol (vol-index.ts), a decimal; null when unknown. */
  readonly volIndex: number | null;
}

/** A scheduled market event (policy decision, budget, results): supplied by the caller. */
export interface MarketEvent {
  readonly date: IsoDate;
  readonly name: string;
}

export interface SnapshotCalendar {
  /** Expiries listed in the chain, ascending (the first is the front expiry). */
  readonly expiries: readonly IsoDate[];
  /** Today's expiry kind, null when nothing expires today. */
  readonly expiryToday: 'weekly' | 'monthly' | null;
  /** Today and every trading day after it through the last listed expiry. */
  readonly tradingDays: readonly IsoDate[];
  /** Exchange holidays from today through the last listed expiry. */
  readonly holidays: readonly Holiday[];
  /** Scheduled events from today through the last listed expiry, ascending. */
  readonly events: readonly MarketEvent[];
}

/** Open interest of the front expiry in an earlier snapshot, for OI-change factors. */
export interface PreviousOi {
  readonly snapshotId: string;
  readonly at: IsoTimestamp;
  readonly expiry: IsoDate;
  /** Ascending by strike; units. */
  readonly strikes: readonly { readonly strike: number; readonly callOi: number; readonly putOi: number }[];
}

export interface RealisedVol {
  /** Today's minute bars so far: √(mean r² · 375 · 252); null before 10 completed minutes. */
  readonly intraday: number | null;
  /** Sample standard deviation of the last 20 daily log returns · √252; null with fewer than 21 closes. */
  readonly closeToClose20d: number | null;
}

export interface DecisionSnapshotBody {
  readonly version: typeof DECISION_SNAPSHOT_VERSION;
  readonly instrument: Instrument;
  readonly date: IsoDate;
  /** The decision instant (IST). */
  readonly at: IsoTimestamp;
  /** Minutes since 09:15 (0 … 375). */
  readonly minute: number;
  readonly origin: 'simulator' | 'csv' | 'live';
  readonly spot: number;
  /** Today's opening level (the first bar's open). */
  readonly sessionOpen: number;
  /** Forward of the front expiry. */
  readonly forward: number;
  /** The near-month future: the first monthly expiry and its forward. */
  readonly future: { readonly expiry: IsoDate; readonly price: number };
  readonly rates: MarketRates;
  /** The source's surface state; the chain's quotes carry the same surface sampled by strike. */
  readonly surface: SurfaceParams;
  readonly stress: number;
  /**
   * The source's regime label: ground truth for simulated days, the CSV column for replays,
   * absent from a live feed. Kept for evaluation only; factors and signals must not read it.
   */
  readonly sourceRegime: Regime;
  /** The chain at `at`: quotes with IV, greeks, volume and OI per strike for every listed expiry. */
  readonly chain: OptionChain;
  /** VIX-style 30-day ATM implied vol from the chain (vol-index.ts), a decimal. */
  readonly volIndex: number;
  readonly realisedVol: RealisedVol;
  /** Today's minute bars completed by `at`, ascending. */
  readonly bars: readonly SnapshotBar[];
  /** Previous trading days, oldest first. */
  readonly daily: readonly DailyBar[];
  readonly calendar: SnapshotCalendar;
  readonly previousOi: PreviousOi | null;
}

export interface DecisionSnapshot extends DecisionSnapshotBody {
  /** `snap_` + the content hash of the body. */
  readonly id: string;
}
