/**
 * Parsers for command-line values, shared by every command. Each is named for what it parses
 * and built for one flag, so its error names that flag: `parsePositiveInt('--lots', …)('x')`
 * throws `--lots: expected a positive integer, got "x"`. They plug into commander
 * (`.option('--lots <n>', 'what', parsePositiveInt('--lots'))`) or are called in an action.
 *
 * Numbers are decimal only: no hex (`0x10`), exponents (`1e3`), `Infinity`, empty strings or
 * trailing junk, which `Number()` would all accept. Dates are bounded to what the cost-rate
 * tables and the NSE calendar cover, so nothing is priced on a date the data says nothing about.
 */
import { COST_RATE_TABLE } from '../domain/costs/rates';
import { isIsoDate, type IsoDate } from '../domain/dates';
import { HOLIDAY_YEARS } from '../domain/holidays';
import { INSTRUMENT_SPECS, type Instrument } from '../domain/instruments';
import { UsageError } from './usage-error';

export type Parser<T> = (raw: string) => T;

const shown = (raw: string) => JSON.stringify(raw);
const DIGITS = /^\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export interface IntBounds {
  readonly min?: number;
  readonly max?: number;
  /** Why the maximum is what it is, appended to the error (e.g. "the freeze quantity"). */
  readonly maxReason?: string;
}

/** An integer in decimal digits within [min, max] (defaults: 0 … Number.MAX_SAFE_INTEGER). */
export function parseInteger(flag: string, bounds: IntBounds = {}): Parser<number> {
  const min = bounds.min ?? 0;
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  const want = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
  return (raw) => {
    const text = raw.trim();
    const n = Number(text);
    if (!DIGITS.test(text) || !Number.isSafeInteger(n) || n < min)
      throw new UsageError(`${flag}: expected ${want}, got ${shown(raw)}`);
    if (n > max)
      throw new UsageError(
        `${flag}: at most ${max}${bounds.maxReason ? ` (${bounds.maxReason})` : ''}, got ${shown(raw)}`,
      );
    return n;
  };
}

export const parsePositiveInt = (flag: string, bounds: Omit<IntBounds, 'min'> = {}): Parser<number> =>
  parseInteger(flag, { ...bounds, min: 1 });

export const parseNonNegativeInt = (flag: string, bounds: Omit<IntBounds, 'min'> = {}): Parser<number> =>
  parseInteger(flag, { ...bounds, min: 0 });

export interface DecimalBounds {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound (e.g. 0 for "positive"). */
  readonly above?: number;
  readonly max?: number;
}

/**
 * A decimal number such as `101.5`, `-0.25` or `.5` (model inputs such as a forward or a
 * volatility; amounts of money stay decimal strings and never pass through here).
 */
export function parseDecimal(flag: string, bounds: DecimalBounds = {}): Parser<number> {
  const want =
    bounds.above !== undefined
      ? `a decimal number > ${bounds.above}`
      : bounds.min !== undefined
        ? `a decimal number ≥ ${bounds.min}`
        : 'a decimal number';
  return (raw) => {
    const text = raw.trim();
    const n = Number(text);
    if (!DECIMAL.test(text) || !Number.isFinite(n))
      throw new UsageError(`${flag}: expected ${want}, got ${shown(raw)}`);
    if ((bounds.above !== undefined && !(n > bounds.above)) || (bounds.min !== undefined && n < bounds.min))
      throw new UsageError(`${flag}: expected ${want}, got ${shown(raw)}`);
    if (bounds.max !== undefined && n > bounds.max)
      throw new UsageError(`${flag}: at most ${bounds.max}, got ${shown(raw)}`);
    return n;
  };
}

/**
 * The dates the platform's data covers: from the latest first record of the cost-rate table,
 * the instrument specifications and the holiday calendar, to the end of the last holiday year
 * (beyond it every weekday would look like a trading day).
 */
export const DATE_COVERAGE: { readonly from: IsoDate; readonly to: IsoDate } = (() => {
  const firsts = [
    COST_RATE_TABLE[0]!.from,
    ...Object.values(INSTRUMENT_SPECS).map((records) => records[0]!.from),
    `${Math.min(...HOLIDAY_YEARS)}-01-01`,
  ].sort();
  return { from: firsts[firsts.length - 1]!, to: `${Math.max(...HOLIDAY_YEARS)}-12-31` };
})();

export function isCoveredDate(date: IsoDate): boolean {
  return date >= DATE_COVERAGE.from && date <= DATE_COVERAGE.to; // ISO dates compare as strings
}

export const coverageText = () =>
  `the cost rates and the NSE calendar cover ${DATE_COVERAGE.from} to ${DATE_COVERAGE.to}`;

/** A calendar date YYYY-MM-DD inside DATE_COVERAGE. */
export function parseDate(flag: string): Parser<IsoDate> {
  return (raw) => {
    const text = raw.trim();
    if (!isIsoDate(text)) throw new UsageError(`${flag}: expected a date YYYY-MM-DD, got ${shown(raw)}`);
    if (!isCoveredDate(text)) throw new UsageError(`${flag}: ${text} is outside the data (${coverageText()})`);
    return text;
  };
}

/**
 * One of a fixed set of names. `normalise` maps what the user typed onto the canonical
 * spelling (case, hyphens); the error lists the choices as `display` shows them.
 */
export function parseChoice<T extends string>(
  flag: string,
  choices: readonly T[],
  options: { normalise?: (raw: string) => string; display?: (choice: T) => string } = {},
): Parser<T> {
  const normalise = options.normalise ?? ((s: string) => s.trim());
  const display = options.display ?? ((c: T) => c);
  return (raw) => {
    const v = normalise(raw);
    if (!(choices as readonly string[]).includes(v))
      throw new UsageError(`${flag}: expected one of ${choices.map(display).join(', ')}, got ${shown(raw)}`);
    return v as T;
  };
}

/** Upper case, hyphens as underscores: `iron-condor` → `IRON_CONDOR`. */
export const constantCase = (raw: string) => raw.trim().toUpperCase().replace(/-/g, '_');
/** Lower case, underscores as hyphens: `IRON_CONDOR` → `iron-condor`. */
export const kebabCase = (name: string) => name.toLowerCase().replace(/_/g, '-');

/**
 * The most lots one order may carry for an instrument on any date its specifications cover:
 * a leg's quantity (lots × lot size) must stay within the exchange freeze quantity.
 */
export function maxLotsPerOrder(instrument: Instrument): number {
  return Math.max(...INSTRUMENT_SPECS[instrument].map((s) => Math.floor(s.freezeQty / s.lotSize)));
}
