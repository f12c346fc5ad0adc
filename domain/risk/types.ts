/**
 * Inputs and outputs of the risk castle. Every wall is a pure function of the same four
 * inputs and returns the numbers it judged, so a refused (or allowed) trade can be explained
 * from its provenance record alone.
 */
import type { OrderSide } from '../orders/state-machine';
import type { IsoDate, IsoTimestamp } from '../dates';
import type { Instrument } from '../instruments';
import type { Rupees } from '../money';
import type { OptionType } from '../pricing/black76';
import type { Regime } from '../market/types';

export interface ProposalLeg {
  readonly side: OrderSide;
  readonly type: OptionType;
  readonly strike: number;
  readonly expiry: IsoDate;
  readonly lots: number;
  /** Units (lots × lot size). */
  readonly quantity: number;
}

export interface RiskProposal {
  readonly instrument: Instrument;
  /** What is being traded, e.g. 'IRON_CONDOR'. */
  readonly kind: string;
  /** 'open' adds risk; 'close' unwinds existing positions and is let through most walls. */
  readonly intent: 'open' | 'close';
  /** Lots of the structure (each leg is one order of legs[i].lots). */
  readonly lots: number;
  readonly legs: readonly ProposalLeg[];
  readonly shortVolatility: boolean;
  readonly shortGamma: boolean;
  /** Worst-case loss in rupees; null when unbounded. */
  readonly maxLoss: Rupees | null;
  readonly marginRequired: Rupees;
  /** Position delta in index units (Σ side × delta × quantity). */
  readonly delta: number;
  /** Rupees per 1 vol point (Σ side × vega × quantity / 100). */
  readonly vega: number;
  readonly nearestExpiry: IsoDate;
}

export interface PortfolioState {
  /** Capital not blocked as margin. */
  readonly freeCapital: Rupees;
  /** Current equity (cash + marked positions). */
  readonly equity: Rupees;
  /** Highest equity seen (for drawdown). */
  readonly peakEquity: Rupees;
  /** Today's realised + unrealised P&L. */
  readonly dayPnl: Rupees;
  readonly lotsTradedToday: number;
  /** Same units as RiskProposal.delta / .vega. */
  readonly netDelta: number;
  readonly netVega: number;
  /**
   * What the open positions can still lose from their marks (open-risk.ts); null: unbounded.
   * Absent: nothing open (or a caller that does not know). Counted against the daily loss budget.
   */
  readonly openRisk?: Rupees | null;
}

export interface MarketContext {
  readonly date: IsoDate;
  readonly timestamp: IsoTimestamp;
  readonly regime: Regime;
  /** Platform or exchange halt: no new risk for anyone. */
  readonly halted: boolean;
}

export interface BlackoutWindow {
  readonly from: IsoTimestamp;
  readonly to: IsoTimestamp;
  /** e.g. 'RBI policy', 'Union Budget'. */
  readonly reason: string;
}

export interface TenantLimits {
  readonly killSwitch: boolean;
  readonly maxLotsPerOrder: number;
  readonly maxLotsPerDay: number;
  /** Largest share of free capital one structure may lose, e.g. "0.02". */
  readonly maxCapitalAtRiskShare: string;
  /** Rupees; new risk stops once today's loss reaches it, and a trade whose max loss would breach it is refused. */
  readonly maxDailyLoss: Rupees;
  /** Share of peak equity, e.g. "0.10". */
  readonly maxDrawdownShare: string;
  readonly maxNetDelta: number;
  readonly maxNetVega: number;
  readonly blackoutWindows: readonly BlackoutWindow[];
  /** 'HH:MM' IST after which no new short gamma in a contract expiring today. */
  readonly expiryShortGammaCutoff: string;
}

export const WALLS = ['kill-switch', 'regime', 'size', 'capital', 'loss-limits', 'greeks', 'event-expiry'] as const;
export type WallName = (typeof WALLS)[number];

export interface WallOutcome {
  readonly wall: WallName;
  readonly pass: boolean;
  /** Null when the wall passes. */
  readonly reasonCode: string | null;
  /** The figures the wall compared (rupees as 2-decimal strings). */
  readonly numbers: Readonly<Record<string, string | number | boolean | null>>;
}

export interface CastleInput {
  readonly proposal: RiskProposal;
  readonly portfolio: PortfolioState;
  readonly market: MarketContext;
  readonly limits: TenantLimits;
}

export type Wall = (input: CastleInput) => WallOutcome;
