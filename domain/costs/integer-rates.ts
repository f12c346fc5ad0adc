/**
 * Rate tables and slippage models turned into integers for the paise engine. Each cost line
 * gets one scale for the whole table (the most decimals any row uses for it), so legs costed
 * on different rows still add up exactly: STT 0.1% and 0.125% become 100 and 125 at scale 5.
 * A table or model that does not fit (more decimals than a double holds exactly, a negative
 * or exotic number) compiles to null, and the caller uses the decimal engine instead.
 */
import { scaledDecimal, type ScaledDecimal } from '../money';
import type { IsoDate } from '../dates';
import { COST_RATE_TABLE, type CostRates } from './rates';
import { DEFAULT_SLIPPAGE_MODEL, type SlippageModel } from './slippage';

type RateField = Exclude<keyof CostRates, 'from'>;

/** The rate fields of each line that multiplies turnover; its scale is the largest among them. */
const LINES = {
  stt: ['sttOptionSell', 'sttOptionExercise', 'sttFuturesSell'],
  exchangeTxn: ['exchangeTxnOption', 'exchangeTxnFutures'],
  ipft: ['ipftOption', 'ipftFutures'],
  sebi: ['sebiFee'],
  stamp: ['stampOptionBuy', 'stampFuturesBuy'],
  gst: ['gst'],
} as const satisfies Record<string, readonly RateField[]>;
export type RateLine = keyof typeof LINES;

/** One row: each rate in units of its line's scale; brokerage in paise at the brokerage scale. */
export interface IntegerRateRow {
  readonly from: IsoDate;
  readonly units: Readonly<Record<Exclude<RateField, 'brokeragePerOrder' | 'futuresBrokerageRate'>, number>>;
  /** ₹ per order, as paise × 10^brokerageScale. */
  readonly brokeragePerOrder: number;
  /** Futures brokerage rate in units of 10^-brokerageScale: turnover in paise × it is paise × brokerageDivisor. */
  readonly futuresBrokerageRate: number;
}

export interface IntegerRateTable {
  readonly rows: readonly IntegerRateRow[];
  /** Powers of ten each line's accumulated units are divided by. */
  readonly divisor: Readonly<Record<RateLine, number>>;
  /** Brokerage is accumulated in paise × brokerageDivisor. */
  readonly brokerageDivisor: number;
}

const pow10 = (k: number) => Math.pow(10, k);
/** Units of `v` re-expressed at a larger scale; null when that leaves the safe integers. */
function atScale(v: ScaledDecimal, scale: number): number | null {
  const units = v.units * pow10(scale - v.scale);
  return Number.isSafeInteger(units) ? units : null;
}

export function compileRateTable(table: readonly CostRates[]): IntegerRateTable | null {
  const parsed: Array<Record<RateField, ScaledDecimal>> = [];
  for (const row of table) {
    const p = {} as Record<RateField, ScaledDecimal>;
    for (const [field, text] of Object.entries(row) as Array<[RateField | 'from', string]>) {
      if (field === 'from') continue;
      const v = scaledDecimal(text);
      if (!v) return null;
      p[field] = v;
    }
    parsed.push(p);
  }
  const scaleOf = (fields: readonly RateField[]) =>
    Math.max(0, ...parsed.flatMap((p) => fields.map((f) => p[f].scale)));
  const scales = Object.fromEntries(
    (Object.keys(LINES) as RateLine[]).map((line) => [line, scaleOf(LINES[line])]),
  ) as Record<RateLine, number>;
  // Brokerage: ₹ per order is paise at (scale − 2); futures pay rate × turnover in paise.
  const perOrderScale = Math.max(0, ...parsed.map((p) => p.brokeragePerOrder.scale - 2));
  const brokerageScale = Math.max(perOrderScale, ...parsed.map((p) => p.futuresBrokerageRate.scale));

  const rows: IntegerRateRow[] = [];
  for (let i = 0; i < table.length; i++) {
    const p = parsed[i]!;
    const units = {} as Record<string, number>;
    for (const line of Object.keys(LINES) as RateLine[]) {
      for (const field of LINES[line]) {
        const u = atScale(p[field], scales[line]);
        if (u === null) return null;
        units[field] = u;
      }
    }
    const perOrder = atScale(
      { units: p.brokeragePerOrder.units, scale: p.brokeragePerOrder.scale - 2 },
      brokerageScale,
    );
    const futuresRate = atScale(p.futuresBrokerageRate, brokerageScale);
    if (perOrder === null || futuresRate === null) return null;
    rows.push({
      from: table[i]!.from,
      units: units as IntegerRateRow['units'],
      brokeragePerOrder: perOrder,
      futuresBrokerageRate: futuresRate,
    });
  }
  const divisor = Object.fromEntries(Object.entries(scales).map(([k, s]) => [k, pow10(s)])) as Record<RateLine, number>;
  return { rows, divisor, brokerageDivisor: pow10(brokerageScale) };
}

/** The row in force on `date` (latest `from` on or before it), as `ratesOn` picks it. */
export function integerRatesOn(date: IsoDate, table: IntegerRateTable): IntegerRateRow | null {
  let found: IntegerRateRow | null = null;
  for (const row of table.rows) if (row.from <= date) found = row;
  return found;
}

/** A spread derived from the price: paise × divisor = max(minSpread, price in paise × fraction). */
export interface DerivedSpread {
  readonly divisor: number;
  readonly minSpread: number;
  readonly fraction: number;
}

/**
 * A slippage model in integers. The per-unit multiple (spreadShare + perLot × (lots − 1)) is in
 * units of 1 / multipleDivisor; a spread the caller quotes is whole paise, a derived one has its
 * kind's own scale (so an option's ₹0.001 fraction does not pay for a future's ₹0.00002). The
 * square-root impact term is irrational in general and is handled in floating point by the engine.
 */
export interface IntegerSlippageModel {
  readonly multipleDivisor: number;
  readonly spreadShare: number;
  readonly perLot: number;
  readonly derived: { readonly option: DerivedSpread; readonly future: DerivedSpread };
  readonly impact: number;
  readonly impactExponent: number;
}

function derivedSpread(min: ScaledDecimal, fraction: ScaledDecimal): DerivedSpread | null {
  const minPaise = { units: min.units, scale: min.scale - 2 };
  const scale = Math.max(0, minPaise.scale, fraction.scale);
  const minUnits = atScale(minPaise, scale);
  const fractionUnits = atScale(fraction, scale);
  return minUnits === null || fractionUnits === null
    ? null
    : { divisor: pow10(scale), minSpread: minUnits, fraction: fractionUnits };
}

export function compileSlippageModel(model: SlippageModel): IntegerSlippageModel | null {
  const min = scaledDecimal(model.minSpread);
  const optionFraction = scaledDecimal(model.defaultSpreadFraction.option);
  const futureFraction = scaledDecimal(model.defaultSpreadFraction.future);
  const share = scaledDecimal(model.spreadShare);
  const perLot = scaledDecimal(model.perLot);
  const impact = Number(model.impact);
  const impactExponent = Number(model.impactExponent);
  if (!min || !optionFraction || !futureFraction || !share || !perLot) return null;
  if (!(impact >= 0 && impact < Infinity && impactExponent >= 0 && impactExponent < Infinity)) return null;
  const option = derivedSpread(min, optionFraction);
  const future = derivedSpread(min, futureFraction);
  const multipleScale = Math.max(share.scale, perLot.scale);
  const shareUnits = atScale(share, multipleScale);
  const perLotUnits = atScale(perLot, multipleScale);
  if (!option || !future || shareUnits === null || perLotUnits === null) return null;
  return {
    multipleDivisor: pow10(multipleScale),
    spreadShare: shareUnits,
    perLot: perLotUnits,
    derived: { option, future },
    impact,
    impactExponent,
  };
}

/** The shipped table and model, compiled once (immutable). */
export const DEFAULT_INTEGER_RATES = compileRateTable(COST_RATE_TABLE);
export const DEFAULT_INTEGER_SLIPPAGE = compileSlippageModel(DEFAULT_SLIPPAGE_MODEL);
