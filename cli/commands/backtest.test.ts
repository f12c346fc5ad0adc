import { parseBacktest } from './backtest';

const ok = { from: '2026-05-04', to: '2026-05-08', instrument: 'nifty', seeds: '1, 2,3', cadence: '15' };

describe('qs backtest flags', () => {
  it('reads a range, an instrument, seeds and a cadence', () => {
    expect(parseBacktest(ok)).toEqual({
      from: '2026-05-04',
      to: '2026-05-08',
      instrument: 'NIFTY',
      seeds: [1, 2, 3],
      cadenceMinutes: 15,
    });
  });

  it('names the bad flag', () => {
    expect(() => parseBacktest({ ...ok, to: '2026-05-01' })).toThrow(/^--to: 2026-05-01 is before --from/);
    expect(() => parseBacktest({ ...ok, from: '2026-5-4' })).toThrow(/^--from: expected a date/);
    expect(() => parseBacktest({ ...ok, from: '2026-01-26', to: '2026-01-26' })).toThrow(/no NSE trading day/);
    expect(() => parseBacktest({ ...ok, seeds: '1,x' })).toThrow(/^--seeds: expected 1 to 20/);
    expect(() => parseBacktest({ ...ok, instrument: 'SENSEX' })).toThrow(/^--instrument: expected one of/);
    expect(() => parseBacktest({ ...ok, cadence: '0' })).toThrow(/^--cadence/);
    expect(() => parseBacktest({ ...ok, trainThrough: '2026-05-04' })).toThrow(
      /^--train-through: 2026-05-04 is not before --from 2026-05-04/,
    );
    expect(() => parseBacktest({ ...ok, trainThrough: 'May' })).toThrow(/^--train-through: expected a date/);
  });

  it('trains in process on data that ends before the window', () => {
    expect(parseBacktest({ ...ok, trainThrough: '2026-04-30' })).toMatchObject({ trainThrough: '2026-04-30' });
  });
});
