/**
 * Exit rules for the structures a trading day holds: profit target, stop loss, time stop and the
 * expiry-day exit, per structure template. A structure's P&L is measured against its entry
 * premium (credit received or debit paid, from the entry fills), so one percentage reads the same
 * for a ₹40 credit spread and a ₹400 straddle. Pure and exact (decimal rupees): runs inside the
 * workflow every tick on the book's marks.
 */
import type { IsoDate } from '../dates';
import { dec, rupees, type Decimal, type Rupees } from '../money';
import type { StructureKind } from '../strategies/types';

/** One filled leg of an open structure (the entry side, the units filled, the average fill price). */
export interface HeldLeg {
  readonly tradingsymbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: number;
  readonly price: Rupees;
}

/** A structure the day entered and has not closed yet. */
export interface OpenStructure {
  /** The entry decision's id: the exit's business key derives from it. */
  readonly decisionId: string;
  readonly structure: string;
  readonly instrument: 'NIFTY' | 'BANKNIFTY';
  readonly lots: number;
  /** Market minute of day at which it was entered. */
  readonly openedMinute: number;
  /** Nearest expiry among its legs: the expiry-day rule looks at it. */
  readonly nearestExpiry: IsoDate;
  readonly legs: readonly HeldLeg[];
  /** An exit was placed and did not fill: left for the square-off or a flatten, not tried again. */
  readonly exitTried?: boolean;
}

/** A template's exit rule; null switches a part off. Percentages are of the entry premium. */
export interface ExitRule {
  /** Exit once the structure has made this % of its entry premium. */
  readonly profitTargetPct: number | null;
  /** Exit once it has lost this % of its entry premium. */
  readonly stopLossPct: number | null;
  /** Exit once held this many market minutes. */
  readonly timeStopMinutes: number | null;
  /** On its nearest expiry's date, exit at or after this market minute of day (gamma near expiry). */
  readonly expiryDayExitMinute: number | null;
}

export type ExitReason = 'stop_loss' | 'profit_target' | 'expiry_day' | 'time_stop';

export interface ExitVerdict {
  readonly reason: ExitReason;
  /** The numbers behind it, for the refusal/exit log. */
  readonly detail: string;
}

const EXPIRY_EXIT = 14 * 60 + 30;

/**
 * Credit structures take half their credit and stop at a loss the size of it (the butterfly,
 * short at the money, earlier); long volatility has a time stop because theta bleeds it; the
 * calendar's target is modest; a protective put is a hedge and only leaves on its expiry day.
 */
export const EXIT_TEMPLATES: Readonly<Record<StructureKind, ExitRule>> = {
  BULL_PUT_SPREAD: { profitTargetPct: 50, stopLossPct: 100, timeStopMinutes: null, expiryDayExitMinute: EXPIRY_EXIT },
  BEAR_CALL_SPREAD: { profitTargetPct: 50, stopLossPct: 100, timeStopMinutes: null, expiryDayExitMinute: EXPIRY_EXIT },
  IRON_CONDOR: { profitTargetPct: 50, stopLossPct: 100, timeStopMinutes: null, expiryDayExitMinute: EXPIRY_EXIT },
  IRON_BUTTERFLY: { profitTargetPct: 25, stopLossPct: 50, timeStopMinutes: null, expiryDayExitMinute: EXPIRY_EXIT },
  LONG_STRADDLE: { profitTargetPct: 50, stopLossPct: 30, timeStopMinutes: 120, expiryDayExitMinute: EXPIRY_EXIT },
  LONG_STRANGLE: { profitTargetPct: 50, stopLossPct: 30, timeStopMinutes: 120, expiryDayExitMinute: EXPIRY_EXIT },
  CALENDAR_SPREAD: { profitTargetPct: 25, stopLossPct: 25, timeStopMinutes: null, expiryDayExitMinute: EXPIRY_EXIT },
  PROTECTIVE_PUT: { profitTargetPct: null, stopLossPct: null, timeStopMinutes: null, expiryDayExitMinute: EXPIRY_EXIT },
};

/** Overrides apply to every template (an operator's tighter day, a test's short time stop). */
export type ExitOverrides = Partial<ExitRule>;

/** The rule for a structure kind with overrides; an unknown kind gets only the expiry-day exit. */
export function exitRuleFor(structure: string, overrides?: ExitOverrides): ExitRule {
  const base = EXIT_TEMPLATES[structure as StructureKind] ?? {
    profitTargetPct: null,
    stopLossPct: null,
    timeStopMinutes: null,
    expiryDayExitMinute: EXPIRY_EXIT,
  };
  return { ...base, ...overrides };
}

/** Entry premium in rupees: + credit received, − debit paid (Σ sells − Σ buys at the fill prices). */
export function entryPremium(s: Pick<OpenStructure, 'legs'>): Rupees {
  let v = dec(0);
  for (const l of s.legs) {
    const amount = dec(l.price).times(l.quantity);
    v = l.side === 'SELL' ? v.plus(amount) : v.minus(amount);
  }
  return rupees(v);
}

/**
 * The structure's P&L at the given prices (marks, or exit fills): shorts gain as the price falls,
 * longs as it rises. null when a leg has no price.
 */
export function structurePnl(
  s: Pick<OpenStructure, 'legs'>,
  prices: Readonly<Record<string, Rupees | null | undefined>>,
): Rupees | null {
  let v: Decimal = dec(0);
  for (const l of s.legs) {
    const p = prices[l.tradingsymbol];
    if (p === null || p === undefined) return null;
    const move = dec(p).minus(l.price).times(l.quantity);
    v = l.side === 'SELL' ? v.minus(move) : v.plus(move);
  }
  return rupees(v);
}

/**
 * Whether a structure should be closed now, and why. Stop loss first (capital first), then the
 * profit target, then the expiry-day and time exits. Price rules need every leg marked and a
 * non-zero premium; the clock rules do not.
 */
export function exitDue(
  s: OpenStructure,
  rule: ExitRule,
  now: { readonly date: IsoDate; readonly minute: number },
  marks: Readonly<Record<string, Rupees | null | undefined>>,
): ExitVerdict | null {
  const pnl = structurePnl(s, marks);
  const basis = dec(entryPremium(s)).abs();
  if (pnl !== null && !basis.isZero()) {
    const pct = dec(pnl).dividedBy(basis).times(100);
    const said = `P&L ${pnl} on a premium of ${rupees(basis)} (${pct.toDecimalPlaces(1).toString()}%)`;
    if (rule.stopLossPct !== null && pct.lessThanOrEqualTo(-rule.stopLossPct))
      return { reason: 'stop_loss', detail: `${said} ≤ −${rule.stopLossPct}%` };
    if (rule.profitTargetPct !== null && pct.greaterThanOrEqualTo(rule.profitTargetPct))
      return { reason: 'profit_target', detail: `${said} ≥ ${rule.profitTargetPct}%` };
  }
  if (rule.expiryDayExitMinute !== null && now.date === s.nearestExpiry && now.minute >= rule.expiryDayExitMinute)
    return { reason: 'expiry_day', detail: `expiry day ${s.nearestExpiry}, minute ${now.minute}` };
  const held = now.minute - s.openedMinute;
  if (rule.timeStopMinutes !== null && held >= rule.timeStopMinutes)
    return { reason: 'time_stop', detail: `held ${held} min ≥ ${rule.timeStopMinutes} min` };
  return null;
}

/** Win rate and the average winner and loser over closed structures' P&L (a zero is not a win). */
export interface ClosedStats {
  readonly closedStructures: number;
  readonly winners: number;
  readonly losers: number;
  /** winners / closed, 4 decimals; null when nothing closed. */
  readonly winRate: number | null;
  readonly averageWinner: Rupees | null;
  readonly averageLoser: Rupees | null;
}

export function closedStats(pnls: readonly Rupees[]): ClosedStats {
  const wins = pnls.map((p) => dec(p)).filter((p) => p.greaterThan(0));
  const losses = pnls.map((p) => dec(p)).filter((p) => !p.greaterThan(0));
  const avg = (xs: Decimal[]) =>
    xs.length ? rupees(xs.reduce((a, b) => a.plus(b), dec(0)).dividedBy(xs.length)) : null;
  return {
    closedStructures: pnls.length,
    winners: wins.length,
    losers: losses.length,
    winRate: pnls.length ? Math.round((wins.length / pnls.length) * 10_000) / 10_000 : null,
    averageWinner: avg(wins),
    averageLoser: avg(losses),
  };
}

/**
 * The castle's daily-loss wall stops new entries; what is already open can lose more. Once the
 * day's P&L (marked, gross) is at or below −maxDailyLoss the day closes everything and goes
 * reduce-only: the loss is bounded by the limit plus one tick's move. null when within it.
 */
export function dailyLossBreach(dayPnl: Rupees, maxDailyLoss: Rupees): string | null {
  if (dec(dayPnl).greaterThan(dec(maxDailyLoss).negated())) return null;
  return `daily loss limit ₹${rupees(maxDailyLoss)} reached (P&L ₹${rupees(dayPnl)}): book closed, reduce-only`;
}
