import { listExpiries } from '../domain/calendar';
import { formatTradingsymbol, parseTradingsymbol } from './tradingsymbol';

describe('Kite trading symbols', () => {
  it('round-trip weekly and monthly NIFTY and BANKNIFTY contracts', () => {
    for (const instrument of ['NIFTY', 'BANKNIFTY'] as const) {
      for (const expiry of listExpiries(instrument, '2026-04-01', 8)) {
        for (const type of ['call', 'put'] as const) {
          const c = { instrument, expiry, strike: instrument === 'NIFTY' ? 24550 : 56100, type };
          const s = formatTradingsymbol(c);
          expect(s).toMatch(/^[A-Z0-9]+$/);
          expect(parseTradingsymbol(s)).toEqual(c);
        }
      }
    }
  });
  it('uses the monthly form on the monthly expiry', () => {
    const monthly = listExpiries('NIFTY', '2026-05-01', 1, 'monthly')[0]!;
    expect(formatTradingsymbol({ instrument: 'NIFTY', expiry: monthly, strike: 25000, type: 'call' })).toBe(
      `NIFTY26MAY25000CE`,
    );
  });
  it('rejects what is not an index option', () => {
    expect(parseTradingsymbol('INFY')).toBeNull();
    expect(parseTradingsymbol('NIFTY26XYZ25000CE')).toBeNull();
  });
});
