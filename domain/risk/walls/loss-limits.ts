/**
 * Wall 5: daily loss and drawdown. Once today's loss reaches the limit, or equity has fallen
 * the set share below its peak, no new risk; and a trade whose worst case would carry today's
 * loss past the limit is refused before it is placed.
 */
import { dec, rupees } from '../../money';
import { Decimal } from '../../money';
import type { Wall } from '../types';

export const lossLimitsWall: Wall = ({ proposal, portfolio, limits }) => {
  const dayPnl = dec(portfolio.dayPnl);
  const limit = dec(limits.maxDailyLoss);
  const peak = dec(portfolio.peakEquity);
  const drawdown = peak.greaterThan(0) ? Decimal.max(peak.minus(portfolio.equity), 0).dividedBy(peak) : new Decimal(0);
  const headroom = limit.plus(dayPnl); // loss still allowed today
  const numbers = {
    dayPnl: rupees(dayPnl),
    maxDailyLoss: rupees(limit),
    dailyHeadroom: rupees(headroom),
    maxLoss: proposal.maxLoss,
    drawdown: drawdown.toDecimalPlaces(6).toString(),
    maxDrawdown: limits.maxDrawdownShare,
  };
  if (proposal.intent === 'close') return { wall: 'loss-limits', pass: true, reasonCode: null, numbers };
  let reasonCode: string | null = null;
  if (headroom.lessThanOrEqualTo(0)) reasonCode = 'DAILY_LOSS_LIMIT';
  else if (drawdown.greaterThanOrEqualTo(dec(limits.maxDrawdownShare))) reasonCode = 'DRAWDOWN_LIMIT';
  else if (proposal.maxLoss === null || dec(proposal.maxLoss).greaterThan(headroom)) reasonCode = 'DAILY_LOSS_HEADROOM';
  return { wall: 'loss-limits', pass: reasonCode === null, reasonCode, numbers };
};
