/**
 * Exact money. Rupee amounts are decimal.js values in memory and 2-decimal strings at every
 * boundary (JSON, Postgres numeric); binary floats never carry rupees. A private Decimal
 * constructor keeps precision and rounding settings local instead of mutating the global one.
 */
import DecimalBase from 'decimal.js';

export const Decimal = DecimalBase.clone({ precision: 40, rounding: DecimalBase.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;
export type DecimalInput = Decimal | string | number;

/** A rupee amount as a string with exactly two decimals, e.g. "20.00". */
export type Rupees = string;

const HALF_UP = DecimalBase.ROUND_HALF_UP;

/**
 * Decimal from a string or number. Numbers go through their shortest round-trip text form
 * (101.05 → "101.05"), which is exact for prices already on a 0.05 tick.
 */
export function dec(value: DecimalInput): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  return new Decimal(typeof value === 'number' ? String(value) : value);
}

/** Round to the paisa, half away from zero. */
export function toPaisa(value: DecimalInput): Decimal {
  return dec(value).toDecimalPlaces(2, HALF_UP);
}

/** Round to the whole rupee, half away from zero (how STT is levied). */
export function toRupee(value: DecimalInput): Decimal {
  return dec(value).toDecimalPlaces(0, HALF_UP);
}

/** Render as a 2-decimal rupee string ("-0.00" never appears). */
export function rupees(value: DecimalInput): Rupees {
  const s = toPaisa(value).toFixed(2);
  return s === '-0.00' ? '0.00' : s;
}

export function sumDec(values: readonly DecimalInput[]): Decimal {
  let acc = new Decimal(0);
  for (const v of values) acc = acc.plus(dec(v));
  return acc;
}

/** Integer paise from a rupee amount (exact after rounding to the paisa). */
export function toPaiseInt(value: DecimalInput): number {
  return toPaisa(value).times(100).toNumber();
}

export function fromPaiseInt(paise: number): Decimal {
  return new Decimal(paise).dividedBy(100);
}

/** A price rounded to the nearest tick, as a number whose decimal text is exact (e.g. 101.05). */
export function roundToTick(price: number, tick = 0.05): number {
  const steps = Math.round(price / tick);
  return Number((steps * tick).toFixed(2));
}

export function floorToTick(price: number, tick = 0.05): number {
  return Number((Math.floor(price / tick + 1e-9) * tick).toFixed(2));
}

export function ceilToTick(price: number, tick = 0.05): number {
  return Number((Math.ceil(price / tick - 1e-9) * tick).toFixed(2));
}
