import { readFileSync } from 'fs';
import { join } from 'path';
import { buildChain, findQuote } from './chain';
import { marketDayToCsv } from './csv-format';
import { MarketCsvError, csvSource, parseMarketCsv } from './csv-source';
import { simulateDay, simulateDays } from './simulator';
import { createSource, snapshotAt } from './source';
import type { MarketDay, Regime } from './types';

const base = { instrument: 'NIFTY' as const, date: '2026-05-05' };

/** Annualised realised volatility of minute log-returns (open→close of each bar). */
function realisedVol(day: MarketDay): number {
  const r = day.bars.map((b) => Math.log(b.close / b.open));
  const mean = r.reduce((a, x) => a + x, 0) / r.length;
  const v = r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1);
  return Math.sqrt(v * 252 * 375);
}

describe('simulator', () => {
  it('gives 375 one-minute bars from 09:15 to 15:29 (closing at 15:30), each labelled with a regime', () => {
    const day = simulateDay({ ...base, seed: 7 });
    expect(day.bars).toHaveLength(375);
    expect(day.bars[0]!.timestamp).toBe('2026-05-05T09:15:00+05:30');
    expect(day.bars[374]!.timestamp).toBe('2026-05-05T15:29:00+05:30');
    for (let i = 1; i < day.bars.length; i++) expect(day.bars[i]!.open).toBe(day.bars[i - 1]!.close);
    for (const b of day.bars) {
      expect(['calm', 'trending', 'panic']).toContain(b.regime);
      expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
      expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
    }
  });

  it('the same seed gives byte-identical output; different seeds differ', () => {
    const a = JSON.stringify(simulateDay({ ...base, seed: 7 }));
    const b = JSON.stringify(simulateDay({ ...base, seed: 7 }));
    const c = JSON.stringify(simulateDay({ ...base, seed: 8 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const chainA = JSON.stringify(createSource(simulateDay({ ...base, seed: 7 })).chainAt('11:00'));
    const chainB = JSON.stringify(createSource(simulateDay({ ...base, seed: 7 })).chainAt('11:00'));
    expect(chainA).toBe(chainB);
  });

  it('realised volatility ranks panic > trending > calm over many seeds', () => {
    const avg = (regime: Regime) => {
      let sum = 0;
      for (let seed = 1; seed <= 24; seed++) sum += realisedVol(simulateDay({ ...base, seed, regime }));
      return sum / 24;
    };
    const calm = avg('calm');
    const trending = avg('trending');
    const panic = avg('panic');
    expect(panic).toBeGreaterThan(trending);
    expect(trending).toBeGreaterThan(calm);
    // And each is near its regime's diffusion vol (jumps add to panic).
    expect(calm).toBeGreaterThan(0.08);
    expect(calm).toBeLessThan(0.13);
    expect(panic).toBeGreaterThan(0.35);
  });

  it('the IV surface reacts to the regime: panic lifts ATM vol, steepens skew and inverts the term structure', () => {
    const calm = simulateDay({ ...base, seed: 3, regime: 'calm' }).bars[374]!;
    const panic = simulateDay({ ...base, seed: 3, regime: 'panic' }).bars[374]!;
    expect(panic.atmVol).toBeGreaterThan(calm.atmVol * 1.8);
    expect(panic.skew).toBeLessThan(calm.skew);
    expect(panic.termSlope).toBeLessThan(0);
    expect(calm.termSlope).toBeGreaterThan(0);
    expect(panic.stress).toBeGreaterThan(0.9);
  });

  it('multi-day simulation opens each day near the previous close', () => {
    const days = simulateDays({ instrument: 'BANKNIFTY', fromDate: '2026-04-30', days: 3, seed: 11 });
    expect(days.map((d) => d.date)).toEqual(['2026-04-30', '2026-05-04', '2026-05-05']);
    for (let i = 1; i < days.length; i++) {
      const prevClose = days[i - 1]!.bars[374]!.close;
      expect(Math.abs(days[i]!.bars[0]!.open / prevClose - 1)).toBeLessThan(0.05);
    }
  });
});

describe('option chains', () => {
  const calmDay = simulateDay({ ...base, seed: 5, regime: 'calm' });
  const panicDay = simulateDay({ ...base, seed: 5, regime: 'panic' });

  it('lists the next four weekly expiries with strikes on the 50-point grid and sane quotes', () => {
    const chain = createSource(calmDay).chainAt('10:00');
    expect(chain.expiries.map((e) => e.expiry)).toEqual(['2026-05-05', '2026-05-12', '2026-05-19', '2026-05-26']);
    expect(chain.lotSize).toBe(65);
    for (const e of chain.expiries) {
      expect(e.quotes.length).toBeGreaterThan(20);
      for (const q of e.quotes) {
        expect(q.strike % 50).toBe(0);
        expect(q.ask).toBeGreaterThan(q.bid);
        expect(q.bid).toBeGreaterThanOrEqual(0);
        expect(Math.round(q.ask * 100) % 5).toBe(0); // 0.05 tick
        expect(q.volume % 65).toBe(0);
        expect(q.oi % 65).toBe(0);
      }
    }
  });

  it('spreads widen and displayed size thins under stress', () => {
    const spreadAt = (day: MarketDay) => {
      const snap = snapshotAt(day, '12:00');
      // Same spot and surface, only the stress differs: compare like with like.
      const chain = buildChain({
        ...snap,
        spot: 25_000,
        surface: { atmVol: 0.15, skew: -0.2, smile: 0.045, termSlope: 0 },
      });
      const q = findQuote(chain, '2026-05-12', 25_000, 'put')!;
      return { spread: q.ask - q.bid, size: q.askQty };
    };
    const calm = spreadAt(calmDay);
    const panic = spreadAt(panicDay);
    expect(panic.spread).toBeGreaterThan(calm.spread * 2);
    expect(panic.size).toBeLessThan(calm.size);
  });

  it('chain mids respect put-call parity to within the tick rounding', () => {
    const chain = createSource(calmDay).chainAt('14:00');
    const e = chain.expiries[1]!;
    const df = Math.exp(-chain.rates.rate * e.years);
    for (const strike of [e.atmStrike - 100, e.atmStrike, e.atmStrike + 100]) {
      const c = e.quotes.find((q) => q.strike === strike && q.type === 'call')!;
      const p = e.quotes.find((q) => q.strike === strike && q.type === 'put')!;
      expect(Math.abs(c.mid - p.mid - df * (e.forward - strike))).toBeLessThanOrEqual(0.05);
    }
  });

  it('BANKNIFTY lists monthly expiries on a 100-point grid', () => {
    const chain = createSource(simulateDay({ instrument: 'BANKNIFTY', date: '2026-05-05', seed: 1 })).chainAt(0);
    expect(chain.expiries.map((e) => e.expiry)).toEqual(['2026-05-26', '2026-06-30', '2026-07-28']);
    expect(chain.expiries[0]!.quotes.every((q) => q.strike % 100 === 0)).toBe(true);
    expect(chain.lotSize).toBe(30);
  });

  it('snapshots: 09:15 is the opening print, later minutes the last completed bar', () => {
    expect(snapshotAt(calmDay, '09:15').spot).toBe(calmDay.bars[0]!.open);
    expect(snapshotAt(calmDay, '09:16').spot).toBe(calmDay.bars[0]!.close);
    expect(snapshotAt(calmDay, '15:30').spot).toBe(calmDay.bars[374]!.close);
    expect(snapshotAt(calmDay, '2026-05-05T10:00:00+05:30').minute).toBe(45);
    expect(() => snapshotAt(calmDay, '15:31')).toThrow(/market hours/);
  });
});

describe('CSV replay source', () => {
  it('round-trips a simulated day exactly and yields the same chains', () => {
    const day = simulateDay({ ...base, seed: 7 });
    const replay = parseMarketCsv(marketDayToCsv(day));
    expect(replay.bars).toEqual(day.bars);
    expect(replay.origin).toBe('csv');
    const live = JSON.stringify(createSource(day).chainAt('13:45'));
    const again = JSON.stringify(csvSource(marketDayToCsv(day)).chainAt('13:45'));
    expect(again).toBe(live);
  });

  it('reads the shipped sample file', () => {
    const text = readFileSync(join(__dirname, 'sample', 'nifty-sample.csv'), 'utf8');
    const src = csvSource(text);
    expect(src.instrument).toBe('NIFTY');
    expect(src.date).toBe('2026-05-05');
    expect(src.day.bars).toHaveLength(375);
    expect(src.day.bars).toEqual(simulateDay({ ...base, seed: 7 }).bars);
  });

  it('accepts bare OHLC candles and fills the surface from the regime', () => {
    const text =
      'timestamp,open,high,low,close\n' +
      '2026-05-05T09:15:00+05:30,25000,25010,24990,25005\n' +
      '2026-05-05T09:16:00+05:30,25005,25020,25000,25015\n';
    const src = csvSource(text, { instrument: 'NIFTY' });
    expect(src.snapshotAt('09:17').spot).toBe(25015);
    expect(src.snapshotAt('12:00').surface.atmVol).toBe(0.11);
  });

  it('names the line and column of bad input', () => {
    const head = 'timestamp,instrument,open,high,low,close,regime\n';
    expect(() => parseMarketCsv(head + '2026-05-05T09:15:00+05:30,NIFTY,25000,25010,24990,abc,calm\n')).toThrow(
      'line 2, column "close": not a number',
    );
    expect(() => parseMarketCsv(head + '2026-05-05T09:15:00+05:30,NIFTY,25000,25010,24990,25000,storm\n')).toThrow(
      'line 2, column "regime"',
    );
    expect(() => parseMarketCsv(head + '2026-05-05T09:10:00+05:30,NIFTY,25000,25010,24990,25000,calm\n')).toThrow(
      /line 2, column "timestamp"/,
    );
    expect(() => parseMarketCsv('open,high\n')).toThrow(MarketCsvError);
  });
});
