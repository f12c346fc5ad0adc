/**
 * NSE's quantity freeze limits for index options: the largest quantity (units) one order may
 * carry; a larger order is frozen by the exchange, so a leg above the limit must go out as
 * several child orders. NSE revises the limits by circular (chapter 1.8 of the F&O consolidated
 * circular NSE/FAOP/67775 of 30 Apr 2025 gives the method), so they are data with the date each
 * applies from, like lot sizes: the record in force on a date is the last one from on or before it.
 *
 * Records, by the circular's effective date:
 * - 2024-08-01: BANKNIFTY 900, NIFTY 1800 (unchanged through the 3 Mar 2025 revision);
 * - 2025-07-01: BANKNIFTY 600 (circular of 30 Jun 2025);
 * - 2025-09-01: BANKNIFTY 900 (circular of 29 Aug 2025);
 * - 2025-11-03: BANKNIFTY 600 (circular of 31 Oct 2025);
 * - 2025-12-01: unchanged for both (NSE/FAOP/71540 of 28 Nov 2025, which cut FINNIFTY);
 * - 2026-02-01: BANKNIFTY 600, NIFTY 1800 (circular of 30 Jan 2026), the latest found.
 * A revision between those dates that this list misses would make a slice too large and be
 * rejected by the exchange, never silently filled: check NSE's circulars when one is announced.
 */
import type { IsoDate } from '../dates';
import type { Instrument } from '../instruments';

export interface FreezeLimitRecord {
  /** First trading date (inclusive) the limits apply. */
  readonly from: IsoDate;
  /** The NSE circular that set them. */
  readonly circular: string;
  /** Largest quantity, in units, one order may carry, per instrument. */
  readonly units: Readonly<Record<Instrument, number>>;
}

/** One record per circular, sorted by `from`. */
export const FREEZE_LIMITS: readonly FreezeLimitRecord[] = [
  {
    from: '2024-08-01',
    circular: 'NSE quantity freeze limits w.e.f. 1 Aug 2024',
    units: { NIFTY: 1800, BANKNIFTY: 900 },
  },
  { from: '2025-07-01', circular: 'NSE quantity freeze limits of 30 Jun 2025', units: { NIFTY: 1800, BANKNIFTY: 600 } },
  { from: '2025-09-01', circular: 'NSE quantity freeze limits of 29 Aug 2025', units: { NIFTY: 1800, BANKNIFTY: 900 } },
  { from: '2025-11-03', circular: 'NSE quantity freeze limits of 31 Oct 2025', units: { NIFTY: 1800, BANKNIFTY: 600 } },
  { from: '2025-12-01', circular: 'NSE/FAOP/71540 of 28 Nov 2025', units: { NIFTY: 1800, BANKNIFTY: 600 } },
  { from: '2026-02-01', circular: 'NSE quantity freeze limits of 30 Jan 2026', units: { NIFTY: 1800, BANKNIFTY: 600 } },
];

/** The circular in force on `date`. Throws for a date before the records. */
export function freezeLimitRecord(date: IsoDate): FreezeLimitRecord {
  let found: FreezeLimitRecord | undefined;
  for (const r of FREEZE_LIMITS) if (r.from <= date) found = r; // ISO dates compare as strings
  if (!found) throw new RangeError(`no freeze limit on ${date} (records start ${FREEZE_LIMITS[0]!.from})`);
  return found;
}

/** Largest quantity (units) one order may carry on `date`. */
export function freezeLimit(instrument: Instrument, date: IsoDate): number {
  const units = freezeLimitRecord(date).units[instrument];
  if (units === undefined) throw new RangeError(`no freeze limit for instrument ${JSON.stringify(instrument)}`);
  return units;
}
