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

/**
 * ⌊a / b⌋ for b > 0, as a number: only the quotient's integer part is computed (a full-precision
 * quotient then floored costs many times more), corrected down when a negative a does not divide.
 */
export function floorDiv(a: DecimalInput, b: DecimalInput): number {
  const x = dec(a);
  const y = dec(b);
  const q = x.dividedToIntegerBy(y);
  return (q.times(y).greaterThan(x) ? q.minus(1) : q).toNumber() + 0;
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

/*
 * Integer money for hot paths: amounts as integer paise in doubles (exact up to 2^53 paise,
 * about ₹90 lakh crore) and rates as integer units of 10^-scale. Callers check that their
 * results stay safe integers and fall back to the decimal path when they do not.
 */

/** A non-negative plain decimal string as integer units of 10^-scale ('0.0003503' → 3503 at scale 7). */
export interface ScaledDecimal {
  readonly units: number;
  readonly scale: number;
}

const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Null for anything but a plain non-negative decimal whose digits fit a safe integer. */
export function scaledDecimal(text: string): ScaledDecimal | null {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const units = Number(m[1]! + frac);
  return Number.isSafeInteger(units) && frac.length <= 15 ? { units, scale: frac.length } : null;
}

const SIGNED_AMOUNT = /^(-?)(\d+)(?:\.(\d{1,2})0*)?$/;
/** Below 10^15 a number's shortest text (what `dec` reads) is exactly k / 100. */
const PAISE_LIMIT = 1e15;

/**
 * Integer paise of an amount that is whole paise (101.05 → 10105, '-2000' → -200000), or null
 * when it is not (more decimals, exponent notation, too large, not finite).
 */
export function paiseOf(value: DecimalInput): number | null {
  if (typeof value === 'number') {
    const k = Math.round(value * 100);
    return k / 100 === value && Math.abs(k) < PAISE_LIMIT ? k + 0 : null;
  }
  if (typeof value === 'string') {
    const m = SIGNED_AMOUNT.exec(value);
    if (!m) return null;
    const k = Number(m[2]!) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
    return k < PAISE_LIMIT ? (m[1] ? -k : k) + 0 : null;
  }
  return value.decimalPlaces() <= 2 && value.abs().lessThan(PAISE_LIMIT / 100) ? value.times(100).toNumber() + 0 : null;
}

/** Quotient and remainder of n ≥ 0 by d > 0, safe integers; exact (the float quotient is corrected). */
export function divMod(n: number, d: number): [quotient: number, remainder: number] {
  let q = Math.floor(n / d);
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  return [q, r];
}

/** n / d rounded half away from zero, for safe integers n and d > 0. */
export function divRoundHalfUp(n: number, d: number): number {
  if (n < 0) return -divRoundHalfUp(-n, d) + 0;
  const [q, r] = divMod(n, d);
  return 2 * r >= d ? q + 1 : q;
}

/** Integer paise as a 2-decimal rupee string, like `rupees` ("-0.00" never appears). */
export function paiseToRupees(paise: number): Rupees {
  const abs = Math.abs(paise);
  const cents = abs % 100;
  const text = `${(abs - cents) / 100}.${cents < 10 ? '0' : ''}${cents}`;
  return paise < 0 ? `-${text}` : text;
}

/** a × b / d rounded half away from zero, for safe integers (d > 0); BigInt only when a × b passes 2^53. */
export function mulDivRoundHalfUp(a: number, b: number, d: number): number {
  const p = a * b;
  if (Number.isSafeInteger(p)) return divRoundHalfUp(p, d);
  const n = BigInt(a) * BigInt(b);
  const abs = n < 0n ? -n : n;
  const big = BigInt(d);
  const q = (2n * abs + big) / (2n * big);
  return Number(n < 0n ? -q : q);
}

/** The sign of a × b − c × d for safe integers, exactly (BigInt only when a product passes 2^53). */
export function compareProducts(a: number, b: number, c: number, d: number): number {
  const x = a * b;
  const y = c * d;
  if (Number.isSafeInteger(x) && Number.isSafeInteger(y)) return Math.sign(x - y);
  const diff = BigInt(a) * BigInt(b) - BigInt(c) * BigInt(d);
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}
