/**
 * The day's loss budget a new trade is sized into: the limit, plus today's P&L (marked), minus
 * what the open book can still lose (PortfolioState.openRisk) — the same budget the castle's
 * loss wall holds a proposal to. A structure's worst case per lot is its payoff max loss plus the
 * whole bid-ask spread (entered at the natural price, left at it): the loss a lot can book.
 */
import { Decimal, dec } from '../money';
import type { PortfolioState, TenantLimits } from '../risk/types';
import type { Structure } from '../strategies/types';

/** Rupees a new trade may still lose today (≤ 0: none; an unbounded open book leaves none). */
export function lossBudget(limits: Pick<TenantLimits, 'maxDailyLoss'>, portfolio: PortfolioState): Decimal {
  const headroom = dec(limits.maxDailyLoss).plus(dec(portfolio.dayPnl));
  if (portfolio.openRisk === null) return Decimal.min(headroom, 0);
  return headroom.minus(dec(portfolio.openRisk ?? 0));
}

/** Max loss of one lot plus the spread crossed in and out. */
export function worstLossPerLot(s: Structure): Decimal {
  const spread = s.legs.reduce((acc, l) => acc.plus(dec(l.ask).minus(l.bid).times(l.ratio)), dec(0));
  return dec(s.maxLossPerUnit).plus(spread).times(s.lotSize);
}
