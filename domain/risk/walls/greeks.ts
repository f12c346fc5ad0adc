/**
 * Wall 6: portfolio greeks. Net delta and vega after the trade must stay within limits — unless
 * the trade moves them towards zero, which is always allowed (a hedge must never be blocked by
 * the exposure it hedges).
 */
import type { Wall } from '../types';

export const greeksWall: Wall = ({ proposal, portfolio, limits }) => {
  const deltaAfter = portfolio.netDelta + proposal.delta;
  const vegaAfter = portfolio.netVega + proposal.vega;
  const r = (x: number) => Math.round(x * 100) / 100;
  const numbers = {
    netDeltaBefore: r(portfolio.netDelta),
    netDeltaAfter: r(deltaAfter),
    maxNetDelta: limits.maxNetDelta,
    netVegaBefore: r(portfolio.netVega),
    netVegaAfter: r(vegaAfter),
    maxNetVega: limits.maxNetVega,
  };
  const breach = (after: number, before: number, limit: number) =>
    Math.abs(after) > limit && Math.abs(after) > Math.abs(before);
  let reasonCode: string | null = null;
  if (breach(deltaAfter, portfolio.netDelta, limits.maxNetDelta)) reasonCode = 'NET_DELTA_LIMIT';
  else if (breach(vegaAfter, portfolio.netVega, limits.maxNetVega)) reasonCode = 'NET_VEGA_LIMIT';
  return { wall: 'greeks', pass: reasonCode === null, reasonCode, numbers };
};
