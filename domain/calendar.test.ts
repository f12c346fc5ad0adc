import {
  SESSION_MINUTES,
  daysToExpiry,
  expiryKind,
  isMarketOpen,
  isTradingDay,
  listExpiries,
  marketCloseAt,
  marketOpenAt,
  minutesSinceOpen,
  nextTradingDay,
  previousTradingDay,
  tradingDaysBetween,
  yearFraction,
} from './calendar';
import { addDays, epochMsToIst, istParts, parseTimeOfDay, timestampToEpochMs, weekday } from './dates';
import { NSE_HOLIDAYS } from './holidays';
import { freezeQuantity, instrumentSpec, lotSize, strikeStep } from './instruments';

describe('trading days', () => {
  it('weekends and NSE holidays are closed', () => {
    expect(isTradingDay('2026-05-02')).toBe(false); // Saturday
    expect(isTradingDay('2026-05-03')).toBe(false); // Sunday
    expect(isTradingDay('2026-05-01')).toBe(false); // Maharashtra Day (Friday)
    expect(isTradingDay('2026-05-04')).toBe(true);
    expect(isTradingDay('2025-10-21')).toBe(false); // Diwali Laxmi Pujan
    expect(isTradingDay('2026-01-26')).toBe(false);
  });

  it('every listed holiday is a weekday (NSE lists none on weekends)', () => {
    for (const h of NSE_HOLIDAYS) expect([1, 2, 3, 4, 5]).toContain(weekday(h.date));
    expect(NSE_HOLIDAYS.filter((h) => h.date.startsWith('2025'))).toHaveLength(14);
    expect(NSE_HOLIDAYS.filter((h) => h.date.startsWith('2026'))).toHaveLength(15);
  });

  it('next and previous trading days skip holidays and weekends', () => {
    expect(nextTradingDay('2026-04-30')).toBe('2026-05-04'); // Fri holiday + weekend
    expect(previousTradingDay('2026-04-06')).toBe('2026-04-02'); // Good Friday 3 Apr
    expect(nextTradingDay('2025-10-20')).toBe('2025-10-23'); // 21 and 22 Oct closed
    expect(tradingDaysBetween('2026-03-30', '2026-04-06')).toEqual([
      '2026-03-30',
      '2026-04-01',
      '2026-04-02',
      '2026-04-06',
    ]);
  });
});

describe('expiries', () => {
  it('NIFTY weekly Tuesdays in 2026, shifted to the previous trading day on holidays', () => {
    expect(listExpiries('NIFTY', '2026-01-01', 4)).toEqual(['2026-01-06', '2026-01-13', '2026-01-20', '2026-01-27']);
    // Holi on Tue 3 Mar 2026 → Mon 2 Mar; Mahavir Jayanti on Tue 31 Mar → Mon 30 Mar.
    expect(listExpiries('NIFTY', '2026-02-27', 6)).toEqual([
      '2026-03-02',
      '2026-03-10',
      '2026-03-17',
      '2026-03-24',
      '2026-03-30',
      '2026-04-07',
    ]);
  });

  it('the Sep-2025 switch from Thursday to Tuesday', () => {
    expect(listExpiries('NIFTY', '2025-08-18', 4)).toEqual(['2025-08-21', '2025-08-28', '2025-09-02', '2025-09-09']);
    // Before the switch, Thursday holidays pulled the expiry to Wednesday.
    expect(listExpiries('NIFTY', '2025-04-08', 1)).toEqual(['2025-04-09']);
    expect(listExpiries('NIFTY', '2025-04-25', 1)).toEqual(['2025-04-30']);
  });

  it('BANKNIFTY is monthly: last Thursday before Sep 2025, last Tuesday after, holiday-shifted', () => {
    expect(listExpiries('BANKNIFTY', '2025-08-01', 3)).toEqual(['2025-08-28', '2025-09-30', '2025-10-28']);
    expect(listExpiries('BANKNIFTY', '2026-03-01', 1)).toEqual(['2026-03-30']);
    // Last Tuesday of Nov 2026 is Guru Nanak Jayanti (24 Nov) → Monday 23 Nov.
    expect(listExpiries('BANKNIFTY', '2026-11-01', 2)).toEqual(['2026-11-23', '2026-12-29']);
  });

  it('an expiry date lists itself and classifies as weekly or monthly', () => {
    expect(listExpiries('NIFTY', '2026-05-05', 1)).toEqual(['2026-05-05']);
    expect(expiryKind('NIFTY', '2026-05-05')).toBe('weekly');
    expect(expiryKind('NIFTY', '2026-05-26')).toBe('monthly');
    expect(expiryKind('NIFTY', '2026-05-06')).toBeNull();
    expect(expiryKind('BANKNIFTY', '2026-05-05')).toBeNull();
    expect(expiryKind('BANKNIFTY', '2026-05-26')).toBe('monthly');
    expect(listExpiries('NIFTY', '2026-05-01', 2, 'monthly')).toEqual(['2026-05-26', '2026-06-30']);
  });

  it('days and year fraction to expiry (ACT/365 to the 15:30 IST close)', () => {
    expect(daysToExpiry('2026-05-04', '2026-05-05')).toBe(1);
    // From 09:15 to 15:30 on expiry day: 375 minutes.
    expect(yearFraction('2026-05-05T09:15:00+05:30', '2026-05-05')).toBeCloseTo(375 / (365 * 1440), 12);
    expect(yearFraction('2026-05-04', '2026-05-05')).toBeCloseTo((1440 + 375) / (365 * 1440), 12);
    expect(yearFraction('2026-05-05T16:00:00+05:30', '2026-05-05')).toBe(0);
  });
});

describe('market hours in IST', () => {
  it('opens 09:15 and closes 15:30 Asia/Kolkata', () => {
    expect(marketOpenAt('2026-05-05')).toBe('2026-05-05T09:15:00+05:30');
    expect(marketCloseAt('2026-05-05')).toBe('2026-05-05T15:30:00+05:30');
    expect(timestampToEpochMs(marketOpenAt('2026-05-05'))).toBe(Date.UTC(2026, 4, 5, 3, 45));
    expect(SESSION_MINUTES).toBe(375);
    expect(isMarketOpen('2026-05-05T09:15:00+05:30')).toBe(true);
    expect(isMarketOpen('2026-05-05T03:44:59Z')).toBe(false);
    expect(isMarketOpen('2026-05-05T15:30:00+05:30')).toBe(false);
    expect(isMarketOpen('2026-05-01T10:00:00+05:30')).toBe(false); // holiday
    expect(minutesSinceOpen('2026-05-05T10:00:30+05:30')).toBe(45.5);
  });

  it('IST rendering is independent of the host time zone', () => {
    const ms = Date.UTC(2026, 4, 5, 20, 0); // 01:30 next day in IST
    expect(epochMsToIst(ms)).toBe('2026-05-06T01:30:00+05:30');
    expect(istParts(ms)).toEqual({ date: '2026-05-06', minuteOfDay: 90, second: 0 });
    expect(parseTimeOfDay('13:30')).toBe(810);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});

describe('instrument specifications are effective-dated', () => {
  it('current NIFTY and BANKNIFTY contract terms', () => {
    expect(lotSize('NIFTY', '2026-05-05')).toBe(65);
    expect(lotSize('BANKNIFTY', '2026-05-05')).toBe(30);
    expect(strikeStep('NIFTY', '2026-05-05')).toBe(50);
    expect(strikeStep('BANKNIFTY', '2026-05-05')).toBe(100);
    expect(freezeQuantity('NIFTY', '2026-05-05')).toBe(1800);
    expect(freezeQuantity('BANKNIFTY', '2026-05-05')).toBe(900);
  });

  it('older records apply to older dates', () => {
    expect(lotSize('NIFTY', '2025-06-02')).toBe(75);
    expect(instrumentSpec('NIFTY', '2025-08-29').expiryWeekday).toBe(4);
    expect(instrumentSpec('NIFTY', '2025-09-01').expiryWeekday).toBe(2);
    expect(() => lotSize('NIFTY', '2020-01-01')).toThrow(/no NIFTY specification/);
  });
});
