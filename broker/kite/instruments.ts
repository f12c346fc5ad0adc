/**
 * The day's NFO instrument list (Kite's instruments CSV dump, GET /instruments/NFO): a symbol we
 * built is sent only when the exchange lists it today, in whole lots of its listed lot size.
 * Fetched once per API root and IST day per process; a failed fetch is not remembered.
 */
import { OrderRejectedError } from '../errors';
import type { KiteHttp } from './http';

export interface Listing {
  readonly lotSize: number;
}

const lists = new Map<string, Promise<Map<string, Listing>>>();

const istDate = (now: number) => new Date(now + 330 * 60_000).toISOString().slice(0, 10);

/** tradingsymbol → listing, from the CSV (header row names the columns; quoted fields have no commas). */
export function parseInstrumentsCsv(csv: string): Map<string, Listing> {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const sym = header.indexOf('tradingsymbol');
  const lot = header.indexOf('lot_size');
  if (sym < 0 || lot < 0) throw new Error('instruments CSV without tradingsymbol / lot_size columns');
  const out = new Map<string, Listing>();
  for (const line of lines) {
    const cells = line.split(',');
    const s = cells[sym]?.replace(/^"|"$/g, '');
    if (s) out.set(s, { lotSize: Number(cells[lot]) || 1 });
  }
  return out;
}

export function nfoInstruments(http: KiteHttp, root: string, now = Date.now()): Promise<Map<string, Listing>> {
  const key = `${root}|${istDate(now)}`;
  let list = lists.get(key);
  if (!list) {
    list = http.text('/instruments/NFO').then(parseInstrumentsCsv);
    lists.set(key, list);
    list.catch(() => lists.delete(key));
  }
  return list;
}

/** Throws OrderRejectedError (nothing sent) when the symbol is not listed today or the quantity is not whole lots. */
export async function assertListed(
  http: KiteHttp,
  root: string,
  order: { tradingsymbol: string; quantity: number },
): Promise<void> {
  const listing = (await nfoInstruments(http, root)).get(order.tradingsymbol);
  if (!listing)
    throw new OrderRejectedError(
      `${order.tradingsymbol} is not in today's NFO instrument list (expired, never listed, or a wrong symbol)`,
      'NOT_LISTED',
    );
  if (order.quantity % listing.lotSize !== 0)
    throw new OrderRejectedError(
      `${order.tradingsymbol}: quantity ${order.quantity} is not a whole number of lots of ${listing.lotSize}`,
      'NOT_WHOLE_LOTS',
    );
}
