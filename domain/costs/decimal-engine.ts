/**
 * The decimal cost engine (decimal.js): the reference the integer engine must equal to the
 * paisa, and the fallback where it cannot show that it does. Every rupee a set of legs costs
 * to trade, component by component.
 *
 * Per leg: quantity = lots × lot size on the trade date; turnover = price × quantity; orders =
 * the caller's count or ceil(quantity / freeze quantity), since an order above the freeze
 * limit must be sliced and each slice is an executed order that pays brokerage.
 *
 * An exercised leg (exercise: true, price = intrinsic value per unit) is a settlement, not an
 * exchange trade: it pays brokerage and, on the long (BUY) side, STT at the exercise rate on
 * the intrinsic value; no exchange charge, IPFT, SEBI fee, stamp duty or slippage.
 *
 * Rounding: components are summed exactly over legs and rounded once — STT to the rupee, the
 * rest to the paisa, half away from zero; GST is 18% of the rounded brokerage + exchange + IPFT
 * + SEBI lines, then rounded to the paisa. The total is the sum of the rounded lines.
 */
import { freezeQuantity, lotSize } from '../instruments';
import { dec, Decimal, rupees, sumDec, toPaisa, toRupee } from '../money';
import type { CostBreakdown, CostLeg, CostOptions, LegCostDetail } from './engine-types';
import { ratesOn, COST_RATE_TABLE, type CostRates } from './rates';
import { DEFAULT_SLIPPAGE_MODEL, estimateSlippage, type SlippageModel } from './slippage';

interface RawLeg {
  brokerage: Decimal;
  stt: Decimal;
  exchangeTxn: Decimal;
  ipft: Decimal;
  sebi: Decimal;
  stamp: Decimal;
  slippage: Decimal;
  detail: LegCostDetail;
  gstRate: Decimal;
}

function checkLeg(leg: CostLeg, i: number): void {
  if (!Number.isInteger(leg.lots) || leg.lots <= 0)
    throw new RangeError(`legs[${i}].lots: expected a positive integer`);
  if (dec(leg.price).isNegative()) throw new RangeError(`legs[${i}].price: must not be negative`);
  if (leg.orders !== undefined && (!Number.isInteger(leg.orders) || leg.orders <= 0)) {
    throw new RangeError(`legs[${i}].orders: expected a positive integer`);
  }
  if (leg.exercise && leg.kind !== 'option') throw new RangeError(`legs[${i}].exercise: only options are exercised`);
}

function costLeg(leg: CostLeg, i: number, rateTable: readonly CostRates[], model: SlippageModel): RawLeg {
  checkLeg(leg, i);
  const r = ratesOn(leg.date, rateTable);
  const quantity = leg.lots * lotSize(leg.instrument, leg.date);
  const orders = leg.orders ?? Math.ceil(quantity / freezeQuantity(leg.instrument, leg.date));
  const price = dec(leg.price);
  const turnover = price.times(quantity);
  const zero = new Decimal(0);
  const isOption = leg.kind === 'option';
  const buy = leg.side === 'BUY';

  let brokerage: Decimal;
  if (isOption || leg.exercise) {
    brokerage = dec(r.brokeragePerOrder).times(orders);
  } else {
    // Each futures slice pays the lower of the percentage and the flat fee: min(turnover / orders
    // × rate, fee) × orders, computed without the division (turnover / 3 is not a finite decimal).
    const flat = dec(r.brokeragePerOrder).times(orders);
    brokerage = Decimal.min(turnover.times(r.futuresBrokerageRate), flat);
  }

  const detail: LegCostDetail = { quantity, orders, turnover: rupees(turnover), ratesFrom: r.from };
  if (leg.exercise) {
    const stt = buy ? turnover.times(r.sttOptionExercise) : zero;
    return {
      brokerage,
      stt,
      exchangeTxn: zero,
      ipft: zero,
      sebi: zero,
      stamp: zero,
      slippage: zero,
      detail,
      gstRate: dec(r.gst),
    };
  }
  const stt = buy ? zero : turnover.times(isOption ? r.sttOptionSell : r.sttFuturesSell);
  const exchangeTxn = turnover.times(isOption ? r.exchangeTxnOption : r.exchangeTxnFutures);
  const ipft = turnover.times(isOption ? r.ipftOption : r.ipftFutures);
  const sebi = turnover.times(r.sebiFee);
  const stamp = buy ? turnover.times(isOption ? r.stampOptionBuy : r.stampFuturesBuy) : zero;
  const slippage = estimateSlippage(
    { kind: leg.kind, lots: leg.lots, quantity, price, spread: leg.spread, volume: leg.volume },
    model,
  );
  return { brokerage, stt, exchangeTxn, ipft, sebi, stamp, slippage, detail, gstRate: dec(r.gst) };
}

/** Cost a set of legs (one structure, or one order). Throws RangeError naming a bad leg field. */
export function computeCostsDecimal(legs: readonly CostLeg[], options: CostOptions = {}): CostBreakdown {
  const table = options.rateTable ?? COST_RATE_TABLE;
  const model = options.slippageModel ?? DEFAULT_SLIPPAGE_MODEL;
  const raw = legs.map((leg, i) => costLeg(leg, i, table, model));
  const total = (key: keyof Omit<RawLeg, 'detail' | 'gstRate'>) => sumDec(raw.map((l) => l[key]));

  const brokerage = toPaisa(total('brokerage'));
  const stt = toRupee(total('stt'));
  const exchangeTxn = toPaisa(total('exchangeTxn'));
  const ipft = toPaisa(total('ipft'));
  const sebi = toPaisa(total('sebi'));
  const stamp = toPaisa(total('stamp'));
  const slippage = toPaisa(total('slippage'));
  const gstRate = raw.length > 0 ? raw[raw.length - 1]!.gstRate : new Decimal(0);
  const gst = toPaisa(gstRate.times(brokerage.plus(exchangeTxn).plus(ipft).plus(sebi)));
  const charges = sumDec([brokerage, stt, exchangeTxn, ipft, sebi, stamp, gst]);
  return {
    brokerage: rupees(brokerage),
    stt: rupees(stt),
    exchangeTxn: rupees(exchangeTxn),
    ipft: rupees(ipft),
    sebi: rupees(sebi),
    stamp: rupees(stamp),
    gst: rupees(gst),
    slippage: rupees(slippage),
    total: rupees(charges.plus(slippage)),
    charges: rupees(charges),
    turnover: rupees(sumDec(raw.map((l) => dec(l.detail.turnover)))),
    slippageModel: model.version,
    legs: raw.map((l) => l.detail),
  };
}
