/**
 * Replay a day of minute bars from CSV text (the caller reads the file; this stays pure).
 * Required columns: timestamp, open, high, low, close. Optional: instrument (else given in
 * options), regime (default 'calm'), atm_iv, skew, smile, term_slope, stress (default: the
 * regime's typical surface). Columns may come in any order; lines starting with '#' and blank
 * lines are ignored. All rows must fall on one trading date, inside 09:15–15:29 IST, in
 * strictly increasing time order. Errors name the line and column.
 */
import { MARKET_CLOSE_MINUTE, MARKET_OPEN_MINUTE } from '../calendar';
import { epochMsToIst, istParts, timestampToEpochMs } from '../dates';
import { isInstrument, type Instrument } from '../instruments';
import { REGIME_PARAMS } from './regimes';
import { createSource } from './source';
import { isRegime, type MarketBar, type MarketDay, type MarketRates, type MarketSource, type Regime } from './types';

export class MarketCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MarketCsvError';
  }
}

export interface CsvSourceOptions {
  /** Used when the file has no instrument column. */
  readonly instrument?: Instrument;
  readonly rates?: MarketRates;
}

const REQUIRED = ['timestamp', 'open', 'high', 'low', 'close'] as const;

export function parseMarketCsv(text: string, options: CsvSourceOptions = {}): MarketDay {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let headerLine = 0;
  const bars: MarketBar[] = [];
  let instrument: Instrument | undefined = options.instrument;
  let date: string | undefined;
  let lastMs = -Infinity;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const lineNo = i + 1;
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      header = cells.map((c) => c.toLowerCase());
      headerLine = lineNo;
      for (const col of REQUIRED)
        if (!header.includes(col)) throw new MarketCsvError(`line ${lineNo}: missing column "${col}"`);
      if (!header.includes('instrument') && !instrument)
        throw new MarketCsvError(`line ${lineNo}: no "instrument" column and no instrument given`);
      continue;
    }
    if (cells.length !== header.length)
      throw new MarketCsvError(`line ${lineNo}: expected ${header.length} fields, found ${cells.length}`);
    const row = new Map(header.map((h, j) => [h, cells[j]!] as const));
    const cell = (col: string) => row.get(col);
    const num = (col: string, fallback?: number): number => {
      const raw = cell(col);
      if (raw === undefined || raw === '') {
        if (fallback === undefined) throw new MarketCsvError(`line ${lineNo}, column "${col}": value required`);
        return fallback;
      }
      const v = Number(raw);
      if (!Number.isFinite(v))
        throw new MarketCsvError(`line ${lineNo}, column "${col}": not a number: ${JSON.stringify(raw)}`);
      return v;
    };

    const rowInstrument = cell('instrument');
    if (rowInstrument !== undefined && rowInstrument !== '') {
      if (!isInstrument(rowInstrument))
        throw new MarketCsvError(
          `line ${lineNo}, column "instrument": unknown instrument ${JSON.stringify(rowInstrument)}`,
        );
      if (instrument && rowInstrument !== instrument)
        throw new MarketCsvError(`line ${lineNo}, column "instrument": ${rowInstrument} differs from ${instrument}`);
      instrument = rowInstrument;
    }

    let ms: number;
    try {
      ms = timestampToEpochMs(cell('timestamp')!);
    } catch (e) {
      throw new MarketCsvError(`line ${lineNo}, column "timestamp": ${(e as Error).message}`);
    }
    const p = istParts(ms);
    if (p.second !== 0 || p.minuteOfDay < MARKET_OPEN_MINUTE || p.minuteOfDay >= MARKET_CLOSE_MINUTE) {
      throw new MarketCsvError(
        `line ${lineNo}, column "timestamp": ` + 'bars must start on a whole minute 09:15–15:29 IST',
      );
    }
    if (date && p.date !== date)
      throw new MarketCsvError(`line ${lineNo}, column "timestamp": ${p.date} differs from the file's date ${date}`);
    if (ms <= lastMs) throw new MarketCsvError(`line ${lineNo}, column "timestamp": not after the previous row`);
    date = p.date;
    lastMs = ms;

    const regimeRaw = cell('regime');
    let regime: Regime = 'calm';
    if (regimeRaw !== undefined && regimeRaw !== '') {
      if (!isRegime(regimeRaw))
        throw new MarketCsvError(`line ${lineNo}, column "regime": expected calm, trending or panic`);
      regime = regimeRaw;
    }
    const typical = REGIME_PARAMS[regime];
    const bar: MarketBar = {
      timestamp: epochMsToIst(ms),
      open: num('open'),
      high: num('high'),
      low: num('low'),
      close: num('close'),
      regime,
      atmVol: num('atm_iv', typical.atmVol),
      skew: num('skew', typical.skew),
      smile: num('smile', typical.smile),
      termSlope: num('term_slope', typical.termSlope),
      stress: num('stress', typical.stress),
    };
    if (!(bar.open > 0 && bar.high > 0 && bar.low > 0 && bar.close > 0))
      throw new MarketCsvError(`line ${lineNo}: prices must be positive`);
    if (bar.high < Math.max(bar.open, bar.close) || bar.low > Math.min(bar.open, bar.close)) {
      throw new MarketCsvError(`line ${lineNo}: high/low do not bracket open and close`);
    }
    if (!(bar.atmVol > 0 && bar.atmVol < 5))
      throw new MarketCsvError(`line ${lineNo}, column "atm_iv": expected a decimal vol such as 0.12`);
    if (bar.stress < 0 || bar.stress > 1) throw new MarketCsvError(`line ${lineNo}, column "stress": expected 0 … 1`);
    bars.push(bar);
  }
  if (!header) throw new MarketCsvError('empty CSV: no header line');
  if (bars.length === 0 || !instrument || !date)
    throw new MarketCsvError(`no data rows after the header on line ${headerLine}`);
  return { instrument, date, origin: 'csv', seed: null, bars };
}

/** A MarketSource replaying CSV text. */
export function csvSource(text: string, options: CsvSourceOptions = {}): MarketSource {
  return createSource(parseMarketCsv(text, options), options.rates);
}
