/**
 * NSE F&O trading symbols in Kite's format, to and from our contracts:
 *   monthly: NIFTY26MAY25000CE          (instrument, YY, MMM, strike, CE|PE)
 *   weekly:  NIFTY2651225000PE          (instrument, YY, M, DD, strike; M = 1–9, O, N, D)
 * An expiry is "monthly" when it is the instrument's monthly expiry (domain calendar).
 */
import { expiryKind, listExpiries } from '../domain/calendar';
import type { IsoDate } from '../domain/dates';
import { isInstrument, type Instrument } from '../domain/instruments';
import type { OptionType } from '../domain/pricing/black76';

export interface OptionContract {
  readonly instrument: Instrument;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly type: OptionType;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKLY_MONTH = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'O', 'N', 'D'];

export function formatTradingsymbol(c: OptionContract): string {
  const [y, m, d] = c.expiry.split('-');
  const yy = y!.slice(2);
  const month = Number(m) - 1;
  const strike = Number.isInteger(c.strike) ? String(c.strike) : String(c.strike);
  const cp = c.type === 'call' ? 'CE' : 'PE';
  if (expiryKind(c.instrument, c.expiry) === 'weekly')
    return `${c.instrument}${yy}${WEEKLY_MONTH[month]}${d}${strike}${cp}`;
  return `${c.instrument}${yy}${MONTHS[month]}${strike}${cp}`;
}

const MONTHLY_RE = /^(NIFTY|BANKNIFTY)(\d{2})(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(\d+(?:\.\d+)?)(CE|PE)$/;
const WEEKLY_RE = /^(NIFTY|BANKNIFTY)(\d{2})([1-9OND])(\d{2})(\d+(?:\.\d+)?)(CE|PE)$/;

/** The contract a symbol names, or null when it is not an index option we trade. */
export function parseTradingsymbol(symbol: string): OptionContract | null {
  const w = WEEKLY_RE.exec(symbol);
  if (w && isInstrument(w[1])) {
    const month = WEEKLY_MONTH.indexOf(w[3]!) + 1;
    const expiry = `20${w[2]}-${String(month).padStart(2, '0')}-${w[4]}`;
    return { instrument: w[1], expiry, strike: Number(w[5]), type: w[6] === 'CE' ? 'call' : 'put' };
  }
  const m = MONTHLY_RE.exec(symbol);
  if (m && isInstrument(m[1])) {
    const month = MONTHS.indexOf(m[3]!) + 1;
    const first = `20${m[2]}-${String(month).padStart(2, '0')}-01`;
    const expiry = listExpiries(m[1], first, 1, 'monthly')[0];
    if (!expiry) return null;
    return { instrument: m[1], expiry, strike: Number(m[4]), type: m[5] === 'CE' ? 'call' : 'put' };
  }
  return null;
}

/** The underlying of a symbol by prefix (BANKNIFTY before NIFTY), for orders we did not place. */
export function instrumentOfSymbol(symbol: string): Instrument | null {
  if (symbol.startsWith('BANKNIFTY')) return 'BANKNIFTY';
  if (symbol.startsWith('NIFTY')) return 'NIFTY';
  return null;
}
