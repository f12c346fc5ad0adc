/**
 * The minute-bar CSV format shared by `qs sim` (writer) and the replay source (reader).
 * Columns are documented in domain/market/README.md.
 */
import type { MarketDay } from './types';

export const CSV_COLUMNS = [
  'timestamp',
  'instrument',
  'open',
  'high',
  'low',
  'close',
  'regime',
  'atm_iv',
  'skew',
  'smile',
  'term_slope',
  'stress',
] as const;

/** One header line plus one line per bar, '\n' line endings, no trailing spaces. */
export function marketDayToCsv(day: MarketDay): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const b of day.bars) {
    lines.push(
      [
        b.timestamp,
        day.instrument,
        b.open.toFixed(2),
        b.high.toFixed(2),
        b.low.toFixed(2),
        b.close.toFixed(2),
        b.regime,
        String(b.atmVol),
        String(b.skew),
        String(b.smile),
        String(b.termSlope),
        String(b.stress),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
