/**
 * The cost engine: every rupee a set of legs costs to trade, component by component (brokerage,
 * STT, exchange transaction charge, IPFT, SEBI fee, stamp duty, GST, slippage).
 *
 * `computeCosts` runs the integer-paise engine (`integer-engine.ts`) and returns exactly what
 * the decimal reference (`decimal-engine.ts`, where the rules and rounding are spelled out)
 * returns, falling back to it where the integer engine cannot show exactness. A property test
 * holds the two equal to the paisa over random legs and dates around every rate change.
 */
import { computeCostsDecimal } from './decimal-engine';
import type { CostBreakdown, CostLeg, CostOptions } from './engine-types';
import { costsInPaise, integerCostContext, type CostPaise } from './integer-engine';
import { paiseToRupees } from '../money';

export * from './engine-types';
export { computeCostsDecimal } from './decimal-engine';
export * from './integer-engine';

/** Cost a set of legs (one structure, or one order). Throws RangeError naming a bad leg field. */
export function computeCosts(legs: readonly CostLeg[], options: CostOptions = {}): CostBreakdown {
  const paise = costsInPaise(legs, integerCostContext(options));
  return paise ? breakdownFromPaise(paise) : computeCostsDecimal(legs, options);
}

/** The 2-decimal rupee breakdown of an integer one. */
export function breakdownFromPaise(p: CostPaise): CostBreakdown {
  return {
    brokerage: paiseToRupees(p.brokerage),
    stt: paiseToRupees(p.stt),
    exchangeTxn: paiseToRupees(p.exchangeTxn),
    ipft: paiseToRupees(p.ipft),
    sebi: paiseToRupees(p.sebi),
    stamp: paiseToRupees(p.stamp),
    gst: paiseToRupees(p.gst),
    slippage: paiseToRupees(p.slippage),
    total: paiseToRupees(p.total),
    charges: paiseToRupees(p.charges),
    turnover: paiseToRupees(p.turnover),
    slippageModel: p.slippageModel,
    legs: p.legs.map((l) => ({
      quantity: l.quantity,
      orders: l.orders,
      turnover: paiseToRupees(l.turnover),
      ratesFrom: l.ratesFrom,
    })),
  };
}
