/**
 * Wall 4: margin and capital at risk. The structure's maximum loss must be bounded and within
 * a set share of free capital, and its margin must fit in free capital.
 *
 * `capitalWall` works in integer paise (the share as integer units of 10^-scale, products in
 * BigInt only past 2^53) and returns exactly what `capitalWallDecimal`, the reference, returns;
 * it defers to the reference for amounts that are not whole paise.
 */
import { compareProducts, dec, mulDivRoundHalfUp, paiseOf, paiseToRupees, rupees, scaledDecimal } from '../../money';
import type { CastleInput, Wall, WallOutcome } from '../types';

export const capitalWall: Wall = (input) => capitalWallPaise(input) ?? capitalWallDecimal(input);

/** The wall in integer paise; null for amounts that are not whole paise. */
export function capitalWallPaise(input: CastleInput): WallOutcome | null {
  const { proposal, portfolio, limits } = input;
  const free = paiseOf(portfolio.freeCapital);
  const margin = paiseOf(proposal.marginRequired);
  const maxLoss = proposal.maxLoss === null ? null : paiseOf(proposal.maxLoss);
  const share = scaledDecimal(limits.maxCapitalAtRiskShare);
  if (free === null || margin === null || share === null || (proposal.maxLoss !== null && maxLoss === null)) {
    return null;
  }
  const divisor = 10 ** share.scale;
  const allowed = mulDivRoundHalfUp(free, share.units, divisor);
  if (!Number.isSafeInteger(allowed)) return null;
  return outcome(
    proposal.intent,
    proposal.maxLoss,
    paiseToRupees(allowed),
    paiseToRupees(margin),
    paiseToRupees(free),
    () => {
      if (maxLoss === null) return 'UNBOUNDED_LOSS';
      if (margin > free) return 'INSUFFICIENT_MARGIN';
      // maxLoss > free × share, compared exactly: maxLoss × 10^scale > free × units.
      if (compareProducts(maxLoss, divisor, free, share.units) > 0) return 'CAPITAL_AT_RISK_EXCEEDED';
      return null;
    },
  );
}

/** The decimal reference. */
export const capitalWallDecimal: Wall = ({ proposal, portfolio, limits }) => {
  const free = dec(portfolio.freeCapital);
  const allowed = free.times(dec(limits.maxCapitalAtRiskShare));
  return outcome(
    proposal.intent,
    proposal.maxLoss,
    rupees(allowed),
    rupees(proposal.marginRequired),
    rupees(free),
    () => {
      if (proposal.maxLoss === null) return 'UNBOUNDED_LOSS';
      if (dec(proposal.marginRequired).greaterThan(free)) return 'INSUFFICIENT_MARGIN';
      if (dec(proposal.maxLoss).greaterThan(allowed)) return 'CAPITAL_AT_RISK_EXCEEDED';
      return null;
    },
  );
};

function outcome(
  intent: 'open' | 'close',
  maxLoss: string | null,
  capitalAtRiskLimit: string,
  marginRequired: string,
  freeCapital: string,
  judge: () => string | null,
): WallOutcome {
  const numbers = { maxLoss, capitalAtRiskLimit, marginRequired, freeCapital };
  const reasonCode = intent === 'close' ? null : judge();
  return { wall: 'capital', pass: reasonCode === null, reasonCode, numbers };
}
