/** Turning a built structure into the castle's proposal (units, rupees, greeks for the lots). */
import { dec, paiseOf, paiseToRupees, rupees } from '../money';
import type { Structure } from '../strategies/types';
import type { RiskProposal } from './types';

export interface ProposalOptions {
  readonly intent?: 'open' | 'close';
  /** Broker margin when known; otherwise the structure's max loss (all eight templates are defined-risk). */
  readonly marginRequired?: string;
  /** The trade's round-trip costs: its worst case is the max loss plus what entering and leaving costs. */
  readonly costs?: string;
}

export function proposalFromStructure(s: Structure, lots: number, options: ProposalOptions = {}): RiskProposal {
  if (!Number.isInteger(lots) || lots <= 0) throw new RangeError('lots must be a positive integer');
  const qty = lots * s.lotSize;
  const perUnit = paiseOf(s.maxLossPerUnit);
  const payoffLoss =
    perUnit !== null && Number.isSafeInteger(perUnit * qty)
      ? paiseToRupees(perUnit * qty)
      : rupees(dec(s.maxLossPerUnit).times(qty));
  const maxLoss = options.costs === undefined ? payoffLoss : rupees(dec(payoffLoss).plus(dec(options.costs)));
  let delta = 0;
  let vega = 0;
  for (const l of s.legs) {
    const sign = l.side === 'BUY' ? 1 : -1;
    delta += sign * l.delta * qty * l.ratio;
    vega += (sign * l.vega * qty * l.ratio) / 100;
  }
  return {
    instrument: s.instrument,
    kind: s.kind,
    intent: options.intent ?? 'open',
    lots,
    legs: s.legs.map((l) => ({
      side: l.side,
      type: l.type,
      strike: l.strike,
      expiry: l.expiry,
      lots: lots * l.ratio,
      quantity: qty * l.ratio,
    })),
    shortVolatility: s.shortVolatility,
    shortGamma: s.shortGamma,
    maxLoss,
    marginRequired: options.marginRequired !== undefined ? rupees(options.marginRequired) : payoffLoss,
    delta,
    vega,
    nearestExpiry: s.nearestExpiry,
  };
}
