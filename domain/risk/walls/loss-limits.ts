/**
 * Wall 5: daily loss and drawdown. Once today's loss reaches the limit, or equity has fallen
 * the set share below its peak, no new risk; and a trade whose worst case would carry today's
 * loss past the limit is refused before it is placed. The worst case counts what is already
 * open: the budget is limit + today's P&L − the open book's remaining worst case, so every
 * structure open at once losing its maximum still leaves the day within the limit.
 *
 * `lossLimitsWall` works in integer paise and returns exactly what `lossLimitsWallDecimal`, the
 * reference, returns (drawdown shown to 6 d.p., half up); it defers to the reference for
 * amounts that are not whole paise.
 */
import {
  compareProducts,
  dec,
  Decimal,
  mulDivRoundHalfUp,
  paiseOf,
  paiseToRupees,
  rupees,
  scaledDecimal,
} from '../../money';
import type { CastleInput, Wall, WallOutcome } from '../types';

const MICROS = 1_000_000;

export const lossLimitsWall: Wall = (input) => lossLimitsWallPaise(input) ?? lossLimitsWallDecimal(input);

/** The wall in integer paise; null for amounts that are not whole paise. */
export function lossLimitsWallPaise(input: CastleInput): WallOutcome | null {
  const { proposal, portfolio, limits } = input;
  const dayPnl = paiseOf(portfolio.dayPnl);
  const limit = paiseOf(limits.maxDailyLoss);
  const peak = paiseOf(portfolio.peakEquity);
  const equity = paiseOf(portfolio.equity);
  const maxDrawdown = scaledDecimal(limits.maxDrawdownShare);
  const maxLoss = proposal.maxLoss === null ? null : paiseOf(proposal.maxLoss);
  const openRisk =
    portfolio.openRisk === undefined ? 0 : portfolio.openRisk === null ? null : paiseOf(portfolio.openRisk);
  if (
    (portfolio.openRisk !== undefined && portfolio.openRisk !== null && openRisk === null) ||
    dayPnl === null ||
    limit === null ||
    peak === null ||
    equity === null ||
    maxDrawdown === null ||
    (proposal.maxLoss !== null && maxLoss === null)
  ) {
    return null;
  }
  const fall = peak > 0 ? Math.max(peak - equity, 0) : 0; // drawdown = fall / peak
  const micros = peak > 0 ? mulDivRoundHalfUp(fall, MICROS, peak) : 0;
  if (!Number.isSafeInteger(micros)) return null;
  const headroom = limit + dayPnl;
  const budget = openRisk === null ? null : headroom - openRisk;
  return outcome(
    input,
    paiseToRupees(dayPnl),
    paiseToRupees(limit),
    paiseToRupees(headroom),
    openRisk === null ? null : paiseToRupees(openRisk),
    budget === null ? null : paiseToRupees(budget),
    formatMicros(micros),
    () => {
      if (headroom <= 0) return 'DAILY_LOSS_LIMIT';
      // fall / peak ≥ units / 10^scale, exactly (no peak: the drawdown is 0).
      const atLimit =
        peak > 0
          ? compareProducts(fall, 10 ** maxDrawdown.scale, maxDrawdown.units, peak) >= 0
          : maxDrawdown.units === 0;
      if (atLimit) return 'DRAWDOWN_LIMIT';
      if (maxLoss === null || budget === null || maxLoss > budget) return 'DAILY_LOSS_HEADROOM';
      return null;
    },
  );
}

/** A share in millionths as Decimal's toString of it to 6 d.p. ("0.102941", "0.1", "0"). */
function formatMicros(micros: number): string {
  if (micros === 0) return '0';
  const whole = Math.floor(micros / MICROS);
  const frac = String(micros % MICROS)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** The decimal reference. */
export const lossLimitsWallDecimal: Wall = (input) => {
  const { portfolio, limits } = input;
  const dayPnl = dec(portfolio.dayPnl);
  const limit = dec(limits.maxDailyLoss);
  const peak = dec(portfolio.peakEquity);
  const drawdown = peak.greaterThan(0) ? Decimal.max(peak.minus(portfolio.equity), 0).dividedBy(peak) : new Decimal(0);
  const headroom = limit.plus(dayPnl); // loss still allowed today
  const openRisk =
    portfolio.openRisk === undefined ? dec(0) : portfolio.openRisk === null ? null : dec(portfolio.openRisk);
  const budget = openRisk === null ? null : headroom.minus(openRisk); // what a new trade may still lose
  const maxLoss = input.proposal.maxLoss;
  return outcome(
    input,
    rupees(dayPnl),
    rupees(limit),
    rupees(headroom),
    openRisk === null ? null : rupees(openRisk),
    budget === null ? null : rupees(budget),
    drawdown.toDecimalPlaces(6).toString(),
    () => {
      if (headroom.lessThanOrEqualTo(0)) return 'DAILY_LOSS_LIMIT';
      if (drawdown.greaterThanOrEqualTo(dec(limits.maxDrawdownShare))) return 'DRAWDOWN_LIMIT';
      if (maxLoss === null || budget === null || dec(maxLoss).greaterThan(budget)) return 'DAILY_LOSS_HEADROOM';
      return null;
    },
  );
};

function outcome(
  { proposal, limits }: CastleInput,
  dayPnl: string,
  maxDailyLoss: string,
  dailyHeadroom: string,
  openRisk: string | null,
  lossBudget: string | null,
  drawdown: string,
  judge: () => string | null,
): WallOutcome {
  const numbers = {
    dayPnl,
    maxDailyLoss,
    dailyHeadroom,
    // null: the open book's loss is unbounded (a naked short call), so no budget is left.
    openRisk,
    lossBudget,
    maxLoss: proposal.maxLoss,
    drawdown,
    maxDrawdown: limits.maxDrawdownShare,
  };
  const reasonCode = proposal.intent === 'close' ? null : judge();
  return { wall: 'loss-limits', pass: reasonCode === null, reasonCode, numbers };
}
