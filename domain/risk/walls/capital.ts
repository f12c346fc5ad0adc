/**
 * Wall 4: margin and capital at risk. The structure's maximum loss must be bounded and within
 * a set share of free capital, and its margin must fit in free capital.
 */
import { dec, rupees } from '../../money';
import type { Wall } from '../types';

export const capitalWall: Wall = ({ proposal, portfolio, limits }) => {
  const free = dec(portfolio.freeCapital);
  const allowed = free.times(dec(limits.maxCapitalAtRiskShare));
  const numbers = {
    maxLoss: proposal.maxLoss,
    capitalAtRiskLimit: rupees(allowed),
    marginRequired: rupees(proposal.marginRequired),
    freeCapital: rupees(free),
  };
  if (proposal.intent === 'close') return { wall: 'capital', pass: true, reasonCode: null, numbers };
  let reasonCode: string | null = null;
  if (proposal.maxLoss === null) reasonCode = 'UNBOUNDED_LOSS';
  else if (dec(proposal.marginRequired).greaterThan(free)) reasonCode = 'INSUFFICIENT_MARGIN';
  else if (dec(proposal.maxLoss).greaterThan(allowed)) reasonCode = 'CAPITAL_AT_RISK_EXCEEDED';
  return { wall: 'capital', pass: reasonCode === null, reasonCode, numbers };
};
