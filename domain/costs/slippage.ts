/**
 * Expected slippage against the mid: a share of the quoted spread, growing with size (lots) and
 * with the order's share of the contract's traded volume (square-root market impact). The
 * coefficients are data — a versioned parameter set the ML layer can re-fit from fills — not
 * code constants.
 *
 *   spread      = leg.spread ?? max(minSpread, price × defaultSpreadFraction[kind])
 *   perUnit     = spread × (spreadShare + perLot × (lots − 1) + impact × volumeShare^exponent)
 *   slippage    = perUnit × quantity
 */
import { dec, Decimal, type DecimalInput } from '../money';

export interface SlippageModel {
  readonly version: string;
  /** Fraction of the spread paid crossing it (0.5 = half-spread). */
  readonly spreadShare: string;
  /** Extra fraction of the spread per lot beyond the first (book depth). */
  readonly perLot: string;
  /** Square-root impact coefficient on the volume share. */
  readonly impact: string;
  readonly impactExponent: string;
  /** Spread assumed when the caller has no quote, as a fraction of price. */
  readonly defaultSpreadFraction: { readonly option: string; readonly future: string };
  /** Never assume a spread tighter than one tick. */
  readonly minSpread: string;
}

export const DEFAULT_SLIPPAGE_MODEL: SlippageModel = {
  version: 'default-2026.1',
  spreadShare: '0.5',
  perLot: '0.02',
  impact: '0.5',
  impactExponent: '0.5',
  defaultSpreadFraction: { option: '0.001', future: '0.00002' },
  minSpread: '0.05',
};

export interface SlippageInput {
  readonly kind: 'option' | 'future';
  readonly lots: number;
  readonly quantity: number;
  readonly price: DecimalInput;
  /** Quoted ask − bid per unit, when known. */
  readonly spread?: DecimalInput;
  /** Units traded in the contract over the reference window, when known. */
  readonly volume?: number;
}

export function estimateSlippage(input: SlippageInput, model: SlippageModel = DEFAULT_SLIPPAGE_MODEL): Decimal {
  const spread =
    input.spread !== undefined
      ? dec(input.spread)
      : Decimal.max(dec(model.minSpread), dec(input.price).times(model.defaultSpreadFraction[input.kind]));
  const share =
    input.volume && input.volume > 0
      ? Decimal.min(1, new Decimal(input.quantity).dividedBy(input.volume))
      : new Decimal(0);
  const impact = share.isZero() ? share : share.pow(model.impactExponent).times(model.impact);
  const perUnit = spread.times(
    dec(model.spreadShare)
      .plus(dec(model.perLot).times(Math.max(0, input.lots - 1)))
      .plus(impact),
  );
  return perUnit.times(input.quantity);
}
