import { marketOpenAt, tradingDaysBetween } from '../calendar';
import { createSource, csvSource, marketDayToCsv, simulateDay, simulateDays } from '../market';
import { buildDecisionSnapshot, verifyDecisionSnapshot } from './build-snapshot';
import { summariseDay } from './daily-bars';
import { snapshotExpiries } from './snapshot-calendar';
import type { DecisionSnapshot } from './types';

const DATE = '2026-05-05';
const days = simulateDays({
  instrument: 'NIFTY',
  fromDate: '2026-03-02',
  days: tradingDaysBetween('2026-03-02', DATE).length,
  seed: 7,
});
const today = days[days.length - 1]!;
const previous = days.slice(0, -1);

describe('buildDecisionSnapshot', () => {
  const source = createSource(today);
  const snap = buildDecisionSnapshot(source, '11:00', { days: previous });

  it('is built for the simulated day the history leads up to', () => {
    expect(today.date).toBe(DATE);
    expect(snap.at).toBe('2026-05-05T11:00:00+05:30');
    expect(snap.minute).toBe(105);
    expect(snap.origin).toBe('simulator');
  });

  it('carries the completed minute bars, the spot they end on, and the session open', () => {
    expect(snap.bars).toHaveLength(105);
    expect(snap.bars[104]!.timestamp).toBe('2026-05-05T10:59:00+05:30');
    expect(snap.spot).toBe(today.bars[104]!.close);
    expect(snap.sessionOpen).toBe(today.bars[0]!.open);
  });

  it('lists the chain with the near-month future and an expiry beyond 30 days', () => {
    expect(snap.calendar.expiries).toEqual(snapshotExpiries('NIFTY', DATE));
    expect(snap.chain.expiries.map((e) => e.expiry)).toEqual(snap.calendar.expiries);
    expect(snap.future.expiry).toBe('2026-05-26');
    expect(snap.calendar.expiries).toContain('2026-05-26');
    expect(snap.chain.expiries[snap.chain.expiries.length - 1]!.years * 365).toBeGreaterThan(30);
    expect(snap.forward).toBe(snap.chain.expiries[0]!.forward);
  });

  it('reads a vol index close to the surface 30-day ATM vol it was generated from', () => {
    expect(Math.abs(snap.volIndex - snap.surface.atmVol)).toBeLessThan(0.005);
  });

  it('summarises the previous days, oldest first, each with its realised variance and vol index', () => {
    expect(snap.daily).toHaveLength(previous.length);
    expect(snap.daily.at(-1)!.date).toBe(previous.at(-1)!.date);
    for (const d of snap.daily) {
      expect(d.realisedVariance).toBeGreaterThan(0);
      expect(d.volIndex).toBeGreaterThan(0.03);
    }
    expect(snap.realisedVol.closeToClose20d).toBeGreaterThan(0);
    expect(snap.realisedVol.intraday).toBeGreaterThan(0);
  });

  it("a day's closing vol index is the vol index of that day's 15:30 snapshot", () => {
    const d = previous.at(-1)!;
    const close = buildDecisionSnapshot(createSource(d), '15:30');
    expect(summariseDay(d).volIndex).toBe(close.volIndex);
  });

  it('has a content id: same inputs → same id, any change → another id, and it survives JSON', () => {
    const again = buildDecisionSnapshot(createSource(today), '11:00', { days: previous });
    expect(again.id).toBe(snap.id);
    expect(snap.id).toMatch(/^snap_[0-9a-f]{16}$/);
    expect(buildDecisionSnapshot(source, '11:01', { days: previous }).id).not.toBe(snap.id);
    const read = JSON.parse(JSON.stringify(snap)) as DecisionSnapshot;
    expect(read).toEqual(snap);
    expect(verifyDecisionSnapshot(read)).toBe(true);
    expect(verifyDecisionSnapshot({ ...read, spot: read.spot + 0.05 })).toBe(false);
  });

  it('CSV replay of the same day gives the same snapshot, apart from its origin', () => {
    const replayed = buildDecisionSnapshot(csvSource(marketDayToCsv(today)), '11:00', { days: previous });
    const { id: _a, origin: _b, ...fromCsv } = replayed;
    const { id: _c, origin: _d, ...fromSim } = snap;
    expect(replayed.origin).toBe('csv');
    expect(fromCsv).toEqual(fromSim);
  });

  it('keeps the front-expiry OI of an earlier snapshot, and the calendar with holidays and events', () => {
    const earlier = buildDecisionSnapshot(source, '10:00');
    const later = buildDecisionSnapshot(source, '11:00', {
      previous: earlier,
      events: [
        { date: '2026-05-07', name: 'RBI policy' },
        { date: '2027-01-01', name: 'too far' },
      ],
    });
    expect(later.previousOi?.snapshotId).toBe(earlier.id);
    expect(later.previousOi?.expiry).toBe(earlier.chain.expiries[0]!.expiry);
    const front = earlier.chain.expiries[0]!.quotes;
    expect(later.previousOi?.strikes[0]!.callOi).toBe(front.find((q) => q.type === 'call')!.oi);
    expect(later.calendar.events).toEqual([{ date: '2026-05-07', name: 'RBI policy' }]);
    expect(later.calendar.holidays.map((h) => h.date)).toEqual(['2026-05-28', '2026-06-26']);
    expect(later.calendar.tradingDays[0]).toBe(DATE);
    expect(later.calendar.tradingDays).not.toContain('2026-05-28');
    expect(later.calendar.expiryToday).toBe('weekly');
  });

  it('at the open it has no bars and the spot is the first open', () => {
    const open = buildDecisionSnapshot(source, marketOpenAt(DATE));
    expect(open.bars).toEqual([]);
    expect(open.spot).toBe(today.bars[0]!.open);
    expect(open.realisedVol).toEqual({ intraday: null, closeToClose20d: null });
  });

  it('refuses history out of order, from another instrument, or a previous snapshot that is not earlier', () => {
    expect(() => buildDecisionSnapshot(source, '11:00', { days: [previous[1]!, previous[0]!] })).toThrow('ascending');
    expect(() => buildDecisionSnapshot(source, '11:00', { days: [today] })).toThrow('before 2026-05-05');
    const bank = simulateDay({ instrument: 'BANKNIFTY', date: '2026-05-04', seed: 1 });
    expect(() => buildDecisionSnapshot(source, '11:00', { days: [bank] })).toThrow('BANKNIFTY');
    expect(() => buildDecisionSnapshot(source, '10:00', { previous: snap })).toThrow('not before');
  });
});
