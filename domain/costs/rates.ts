/**
 * Statutory and broker charge rates as an effective-dated table: a trade is costed with the
 * row in force on its own trade date (the row with the latest `from` on or before it).
 * Rates are decimal strings so they enter the arithmetic exactly.
 *
 * Figures: STT on options 0.1% of sell premium and 0.125% of exercised intrinsic value until
 * 31 Mar 2026, 0.15% and 0.15% from 1 Apr 2026; STT on futures 0.02% → 0.05% of
 * sell value; NSE transaction charge 0.03503% (options premium) / 0.00173% (futures); NSE IPFT
 * 0.0005% / 0.0001%; SEBI fee ₹10 per crore; stamp duty 0.003% / 0.002% of the buy side;
 * GST 18%; brokerage ₹20 per executed order (futures: the lower of 0.03% and ₹20).
 */
import type { IsoDate } from '../dates';

export interface CostRates {
  readonly from: IsoDate;
  readonly brokeragePerOrder: string;
  /** Futures brokerage is min(rate × order turnover, brokeragePerOrder). */
  readonly futuresBrokerageRate: string;
  readonly sttOptionSell: string;
  /** On the intrinsic value of exercised long options (the buyer pays). */
  readonly sttOptionExercise: string;
  readonly sttFuturesSell: string;
  readonly exchangeTxnOption: string;
  readonly exchangeTxnFutures: string;
  /** NSE Investor Protection Fund Trust charge, shown as its own line. */
  readonly ipftOption: string;
  readonly ipftFutures: string;
  readonly sebiFee: string;
  readonly stampOptionBuy: string;
  readonly stampFuturesBuy: string;
  /** On brokerage + exchange transaction charges (incl. IPFT) + SEBI fee. */
  readonly gst: string;
}

const BASE: Omit<CostRates, 'from' | 'sttOptionSell' | 'sttOptionExercise' | 'sttFuturesSell'> = {
  brokeragePerOrder: '20',
  futuresBrokerageRate: '0.0003',
  exchangeTxnOption: '0.0003503',
  exchangeTxnFutures: '0.0000173',
  ipftOption: '0.000005',
  ipftFutures: '0.000001',
  sebiFee: '0.000001',
  stampOptionBuy: '0.00003',
  stampFuturesBuy: '0.00002',
  gst: '0.18',
};

export const COST_RATE_TABLE: readonly CostRates[] = [
  { from: '2024-10-01', ...BASE, sttOptionSell: '0.001', sttOptionExercise: '0.00125', sttFuturesSell: '0.0002' },
  { from: '2026-04-01', ...BASE, sttOptionSell: '0.0015', sttOptionExercise: '0.0015', sttFuturesSell: '0.0005' },
];

/** The rates in force on `date` from a table sorted by `from`. */
export function ratesOn(date: IsoDate, table: readonly CostRates[] = COST_RATE_TABLE): CostRates {
  let found: CostRates | undefined;
  for (const row of table) if (row.from <= date) found = row;
  if (!found) throw new RangeError(`no cost rates in force on ${date} (table starts ${table[0]?.from ?? 'nowhere'})`);
  return found;
}
