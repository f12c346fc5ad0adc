/**
 * Wall 3: size. Each leg is one order, so its lots are checked against the per-order limit and
 * its quantity against the exchange freeze quantity (bigger orders must be split before they
 * reach here); the structure's lots count against the daily limit.
 */
import { freezeQuantity } from '../../instruments';
import type { Wall } from '../types';

export const sizeWall: Wall = ({ proposal, portfolio, market, limits }) => {
  const freeze = freezeQuantity(proposal.instrument, market.date);
  const maxLegLots = proposal.legs.reduce((m, l) => Math.max(m, l.lots), 0);
  const maxLegQty = proposal.legs.reduce((m, l) => Math.max(m, l.quantity), 0);
  const lotsAfter = portfolio.lotsTradedToday + proposal.lots;
  const numbers = {
    maxLegLots,
    maxLotsPerOrder: limits.maxLotsPerOrder,
    lotsTodayAfter: lotsAfter,
    maxLotsPerDay: limits.maxLotsPerDay,
    maxLegQuantity: maxLegQty,
    freezeQuantity: freeze,
  };
  let reasonCode: string | null = null;
  if (maxLegQty > freeze) reasonCode = 'FREEZE_QUANTITY_EXCEEDED';
  else if (maxLegLots > limits.maxLotsPerOrder) reasonCode = 'LOTS_PER_ORDER_EXCEEDED';
  else if (proposal.intent === 'open' && lotsAfter > limits.maxLotsPerDay) reasonCode = 'LOTS_PER_DAY_EXCEEDED';
  return { wall: 'size', pass: reasonCode === null, reasonCode, numbers };
};
