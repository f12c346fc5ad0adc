/** The cost engine's vocabulary: legs in, a breakdown of every rupee out. */
import type { OrderSide } from '../orders/state-machine';
import type { IsoDate } from '../dates';
import type { Instrument } from '../instruments';
import type { DecimalInput, Rupees } from '../money';
import type { CostRates } from './rates';
import type { SlippageModel } from './slippage';

export type Side = OrderSide;
export type LegKind = 'option' | 'future';

export interface CostLeg {
  readonly instrument: Instrument;
  readonly kind: LegKind;
  readonly side: Side;
  readonly lots: number;
  /** Premium (or futures price, or intrinsic value for exercise) per unit, in rupees. */
  readonly price: DecimalInput;
  /** Trade date, 'YYYY-MM-DD': picks the lot size and the rate row. */
  readonly date: IsoDate;
  readonly exercise?: boolean;
  /** Executed orders for this leg; defaults to the freeze-quantity slice count. */
  readonly orders?: number;
  /** Quoted spread per unit, for the slippage model. */
  readonly spread?: DecimalInput;
  /** Traded volume (units) of the contract, for the slippage model. */
  readonly volume?: number;
}

export interface CostOptions {
  readonly rateTable?: readonly CostRates[];
  readonly slippageModel?: SlippageModel;
}

export interface LegCostDetail {
  readonly quantity: number;
  readonly orders: number;
  readonly turnover: Rupees;
  readonly ratesFrom: IsoDate;
}

/** All amounts are 2-decimal rupee strings; `total` is the sum of the component lines. */
export interface CostBreakdown {
  readonly brokerage: Rupees;
  readonly stt: Rupees;
  readonly exchangeTxn: Rupees;
  readonly ipft: Rupees;
  readonly sebi: Rupees;
  readonly stamp: Rupees;
  readonly gst: Rupees;
  readonly slippage: Rupees;
  readonly total: Rupees;
  /** Statutory and broker charges without slippage. */
  readonly charges: Rupees;
  readonly turnover: Rupees;
  readonly slippageModel: string;
  readonly legs: readonly LegCostDetail[];
}

export const COST_COMPONENTS = ['brokerage', 'stt', 'exchangeTxn', 'ipft', 'sebi', 'stamp', 'gst', 'slippage'] as const;
