/**
 * Index-option contract specifications as effective-dated records: exchanges revise lot sizes,
 * freeze limits and expiry weekdays, and a trade must be costed and sized with the rules that
 * applied on its own date. Each instrument's records are sorted by `from`; the record in force
 * on a date is the last one whose `from` is on or before it.
 *
 * Sources: the current (2026) figures are the issue's: NIFTY lot 65, strike step 50, weekly;
 * BANKNIFTY lot 30, strike step 100, monthly; freeze 1800 / 900 units; Tuesday expiries from
 * 1 Sep 2025 (Thursday before). The earlier NIFTY lot of 75 is NSE's Nov-2024 revision; lot
 * history before 2025 beyond these records is not modelled here — check NSE circulars before
 * costing older trades.
 */
import type { IsoDate } from './dates';

export const INSTRUMENTS = ['NIFTY', 'BANKNIFTY'] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

export type ExpiryCadence = 'weekly' | 'monthly';

export interface InstrumentSpec {
  /** First date (inclusive) on which this record applies. */
  readonly from: IsoDate;
  /** Units per lot. */
  readonly lotSize: number;
  /** Distance between listed strikes, in index points. */
  readonly strikeStep: number;
  /** Largest quantity (units) the exchange accepts in a single order. */
  readonly freezeQty: number;
  /** Minimum price increment of the option premium, in rupees. */
  readonly tickSize: number;
  readonly expiryCadence: ExpiryCadence;
  /** Weekday of the nominal expiry: 0 = Sunday … 2 = Tuesday … 4 = Thursday. */
  readonly expiryWeekday: number;
}

const TUE = 2;
const THU = 4;

export const INSTRUMENT_SPECS: Readonly<Record<Instrument, readonly InstrumentSpec[]>> = {
  NIFTY: [
    {
      from: '2024-11-20',
      lotSize: 75,
      strikeStep: 50,
      freezeQty: 1800,
      tickSize: 0.05,
      expiryCadence: 'weekly',
      expiryWeekday: THU,
    },
    // SEBI/NSE moved index-derivative expiries to Tuesday from 1 Sep 2025.
    {
      from: '2025-09-01',
      lotSize: 75,
      strikeStep: 50,
      freezeQty: 1800,
      tickSize: 0.05,
      expiryCadence: 'weekly',
      expiryWeekday: TUE,
    },
    // Lot revision to 65 applies to contracts after the 30 Dec 2025 expiry.
    {
      from: '2025-12-31',
      lotSize: 65,
      strikeStep: 50,
      freezeQty: 1800,
      tickSize: 0.05,
      expiryCadence: 'weekly',
      expiryWeekday: TUE,
    },
  ],
  BANKNIFTY: [
    {
      from: '2024-11-20',
      lotSize: 30,
      strikeStep: 100,
      freezeQty: 900,
      tickSize: 0.05,
      expiryCadence: 'monthly',
      expiryWeekday: THU,
    },
    {
      from: '2025-09-01',
      lotSize: 30,
      strikeStep: 100,
      freezeQty: 900,
      tickSize: 0.05,
      expiryCadence: 'monthly',
      expiryWeekday: TUE,
    },
  ],
};

/** Typical index level, used only as a default starting point for simulations. */
export const REFERENCE_LEVEL: Readonly<Record<Instrument, number>> = { NIFTY: 25_000, BANKNIFTY: 56_000 };

export function isInstrument(value: unknown): value is Instrument {
  return typeof value === 'string' && (INSTRUMENTS as readonly string[]).includes(value);
}

/** The specification in force on `date`. Throws for dates before the first record. */
export function instrumentSpec(instrument: Instrument, date: IsoDate): InstrumentSpec {
  const records = INSTRUMENT_SPECS[instrument];
  if (!records) throw new RangeError(`unknown instrument: ${String(instrument)}`);
  let found: InstrumentSpec | undefined;
  for (const r of records) if (r.from <= date) found = r; // ISO dates compare as strings
  if (!found) throw new RangeError(`no ${instrument} specification on ${date} (records start ${records[0]!.from})`);
  return found;
}

export function lotSize(instrument: Instrument, date: IsoDate): number {
  return instrumentSpec(instrument, date).lotSize;
}

export function strikeStep(instrument: Instrument, date: IsoDate): number {
  return instrumentSpec(instrument, date).strikeStep;
}

/** Exchange freeze quantity in units (orders above it must be sliced). */
export function freezeQuantity(instrument: Instrument, date: IsoDate): number {
  return instrumentSpec(instrument, date).freezeQty;
}

/** Nearest listed strike to a level. */
export function roundToStrike(level: number, step: number): number {
  return Math.round(level / step) * step;
}
