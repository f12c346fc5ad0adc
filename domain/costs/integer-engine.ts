/**
 * The cost engine in integer paise: the same lines, rules and rounding as the decimal engine
 * (`decimal-engine.ts`, the reference), two orders of magnitude faster, for the decision hot path.
 *
 * Each line is summed over legs as an exact integer — turnover in paise × the rate in units of
 * 10^-scale — and rounded once, half up: STT to the rupee, the rest to the paisa. Doubles hold
 * these sums exactly while they stay below 2^53; every term is non-negative, so checking the
 * sums at the end proves every product on the way was exact too.
 *
 * Where exactness cannot be shown, `costsInPaise` returns null and callers use the decimal
 * engine: a price or spread that is not whole paise, a leg the decimal engine would refuse
 * (it then throws its own error), sums past 2^53 paise-units, or a slippage total whose
 * square-root impact term (irrational in general, computed in floating point) lands within
 * 10^-9 paise of a rounding boundary.
 */
import type { IsoDate } from '../dates';
import { instrumentSpec } from '../instruments';
import { divMod, divRoundHalfUp, paiseOf } from '../money';
import type { CostLeg, CostOptions } from './engine-types';
import {
  compileRateTable,
  compileSlippageModel,
  DEFAULT_INTEGER_RATES,
  DEFAULT_INTEGER_SLIPPAGE,
  integerRatesOn,
  type IntegerRateTable,
  type IntegerSlippageModel,
} from './integer-rates';
import { DEFAULT_SLIPPAGE_MODEL } from './slippage';

export interface LegCostPaise {
  readonly quantity: number;
  readonly orders: number;
  readonly turnover: number;
  readonly ratesFrom: IsoDate;
}

/** Every line in integer paise; `total` = `charges` + `slippage`. */
export interface CostPaise {
  readonly brokerage: number;
  readonly stt: number;
  readonly exchangeTxn: number;
  readonly ipft: number;
  readonly sebi: number;
  readonly stamp: number;
  readonly gst: number;
  readonly slippage: number;
  readonly total: number;
  readonly charges: number;
  readonly turnover: number;
  readonly slippageModel: string;
  readonly legs: readonly LegCostPaise[];
}

/** A rate table and slippage model compiled once; pass it to `costsInPaise` on a hot path. */
export interface IntegerCostContext {
  readonly rates: IntegerRateTable;
  readonly slippage: IntegerSlippageModel;
  readonly slippageVersion: string;
}

export const DEFAULT_COST_CONTEXT: IntegerCostContext | null =
  DEFAULT_INTEGER_RATES && DEFAULT_INTEGER_SLIPPAGE
    ? {
        rates: DEFAULT_INTEGER_RATES,
        slippage: DEFAULT_INTEGER_SLIPPAGE,
        slippageVersion: DEFAULT_SLIPPAGE_MODEL.version,
      }
    : null;

/** Compile cost options (null when the table or model needs the decimal engine). */
export function integerCostContext(options: CostOptions = {}): IntegerCostContext | null {
  if (!options.rateTable && !options.slippageModel) return DEFAULT_COST_CONTEXT;
  const rates = options.rateTable ? compileRateTable(options.rateTable) : DEFAULT_INTEGER_RATES;
  const model = options.slippageModel ?? DEFAULT_SLIPPAGE_MODEL;
  const slippage = options.slippageModel ? compileSlippageModel(model) : DEFAULT_INTEGER_SLIPPAGE;
  return rates && slippage ? { rates, slippage, slippageVersion: model.version } : null;
}

const MAX = Number.MAX_SAFE_INTEGER;
/** How close (in paise) a floating-point slippage total may come to a half paisa and still be trusted. */
const IMPACT_MARGIN = 1e-9;

/** Cost legs in integer paise, or null where only the decimal engine can be exact (see above). */
export function costsInPaise(
  legs: readonly CostLeg[],
  ctx: IntegerCostContext | null = DEFAULT_COST_CONTEXT,
): CostPaise | null {
  if (!ctx) return null;
  const { rates, slippage: m } = ctx;
  let brokerage = 0;
  let stt = 0;
  let exchangeTxn = 0;
  let ipft = 0;
  let sebi = 0;
  let stamp = 0;
  // Slippage by spread scale: quoted (whole paise), derived for options, derived for futures.
  let slippageQuoted = 0;
  let slippageOption = 0;
  let slippageFuture = 0;
  let slippageImpact = 0;
  let turnover = 0;
  let gstUnits = 0;
  const details: LegCostPaise[] = [];
  for (const leg of legs) {
    const { lots, kind } = leg;
    if (!Number.isInteger(lots) || lots <= 0) return null;
    if (leg.orders !== undefined && (!Number.isInteger(leg.orders) || leg.orders <= 0)) return null;
    if (leg.exercise && kind !== 'option') return null;
    const price = paiseOf(leg.price);
    if (price === null || price < 0) return null;
    const row = integerRatesOn(leg.date, rates);
    if (!row) return null;
    const spec = instrumentSpec(leg.instrument, leg.date); // throws as the decimal engine would
    const quantity = lots * spec.lotSize;
    const orders = leg.orders ?? Math.ceil(quantity / spec.freezeQty);
    const t = price * quantity;
    const u = row.units;
    const isOption = kind === 'option';
    const buy = leg.side === 'BUY';
    turnover += t;
    gstUnits = u.gst;
    details.push({ quantity, orders, turnover: t, ratesFrom: row.from });
    if (isOption || leg.exercise) brokerage += row.brokeragePerOrder * orders;
    // min(turnover / orders × rate, ₹20) per order × orders, without the division.
    else brokerage += Math.min(t * row.futuresBrokerageRate, row.brokeragePerOrder * orders);
    if (leg.exercise) {
      if (buy) stt += t * u.sttOptionExercise;
      continue;
    }
    if (!buy) stt += t * (isOption ? u.sttOptionSell : u.sttFuturesSell);
    exchangeTxn += t * (isOption ? u.exchangeTxnOption : u.exchangeTxnFutures);
    ipft += t * (isOption ? u.ipftOption : u.ipftFutures);
    sebi += t * u.sebiFee;
    if (buy) stamp += t * (isOption ? u.stampOptionBuy : u.stampFuturesBuy);

    const multiple = m.spreadShare + m.perLot * (lots - 1);
    let spread: number; // in paise
    if (leg.spread !== undefined) {
      const s = paiseOf(leg.spread);
      if (s === null || s < 0) return null;
      spread = s;
      slippageQuoted += s * multiple * quantity;
    } else {
      const rule = isOption ? m.derived.option : m.derived.future;
      const units = Math.max(rule.minSpread, price * rule.fraction);
      spread = units / rule.divisor;
      if (isOption) slippageOption += units * multiple * quantity;
      else slippageFuture += units * multiple * quantity;
    }
    const share = leg.volume && leg.volume > 0 ? Math.min(1, quantity / leg.volume) : 0;
    if (share > 0 && m.impact > 0) {
      slippageImpact += spread * m.impact * Math.pow(share, m.impactExponent) * quantity;
    }
  }
  // Non-negative terms: a float sum of them is at least each one, so if it is a safe integer
  // every sum and every term before it was exact (NaN fails the test too).
  const all =
    turnover + brokerage + stt + exchangeTxn + ipft + sebi + stamp + slippageQuoted + slippageOption + slippageFuture;
  if (!(all <= MAX)) return null;
  const d = rates.divisor;
  const brokerageP = divRoundHalfUp(brokerage, rates.brokerageDivisor);
  const sttP = divRoundHalfUp(stt, d.stt * 100) * 100;
  const exchangeP = divRoundHalfUp(exchangeTxn, d.exchangeTxn);
  const ipftP = divRoundHalfUp(ipft, d.ipft);
  const sebiP = divRoundHalfUp(sebi, d.sebi);
  const stampP = divRoundHalfUp(stamp, d.stamp);
  const gstBase = (brokerageP + exchangeP + ipftP + sebiP) * gstUnits;
  if (!(gstBase <= MAX)) return null;
  const gstP = divRoundHalfUp(gstBase, d.gst);
  const slippageP = roundSlippage(m, slippageQuoted, slippageOption, slippageFuture, slippageImpact);
  if (slippageP === null) return null;
  const charges = brokerageP + sttP + exchangeP + ipftP + sebiP + stampP + gstP;
  return {
    brokerage: brokerageP,
    stt: sttP,
    exchangeTxn: exchangeP,
    ipft: ipftP,
    sebi: sebiP,
    stamp: stampP,
    gst: gstP,
    slippage: slippageP,
    total: charges + slippageP,
    charges,
    turnover,
    slippageModel: ctx.slippageVersion,
    legs: details,
  };
}

/**
 * quoted / 1 + option / optionDivisor + future / futureDivisor (each also over the multiple's
 * divisor) + impact, rounded half up to the paisa; null when too close to call.
 */
function roundSlippage(
  m: IntegerSlippageModel,
  quoted: number,
  option: number,
  future: number,
  impact: number,
): number | null {
  // Whole paise of each part; remainders brought to the largest divisor (all powers of ten).
  const md = m.multipleDivisor;
  const od = m.derived.option.divisor;
  const fd = m.derived.future.divisor;
  const top = Math.max(od, fd) * md;
  const [q1, r1] = divMod(quoted, md);
  const [q2, r2] = divMod(option, od * md);
  const [q3, r3] = divMod(future, fd * md);
  const whole = q1 + q2 + q3;
  const rest = r1 * (top / md) + r2 * (top / (od * md)) + r3 * (top / (fd * md));
  if (impact === 0) return whole + divRoundHalfUp(rest, top);
  const x = rest / top + impact;
  const floor = Math.floor(x);
  const frac = x - floor;
  if (Math.abs(frac - 0.5) <= IMPACT_MARGIN + x * 1e-12) return null;
  return whole + floor + (frac > 0.5 ? 1 : 0);
}
