import {
  closedStats,
  dailyLossBreach,
  entryPremium,
  exitDue,
  exitRuleFor,
  structurePnl,
  type OpenStructure,
} from './exits';

// An iron condor for 65 units: sold 24000 PE at 40.00 and 24600 CE at 35.50, bought wings at 12.25 and 10.05.
const condor: OpenStructure = {
  decisionId: 'day-2026-05-06-0935',
  structure: 'IRON_CONDOR',
  instrument: 'NIFTY',
  lots: 1,
  openedMinute: 9 * 60 + 35,
  nearestExpiry: '2026-05-12',
  legs: [
    { tradingsymbol: 'PE24000', side: 'SELL', quantity: 65, price: '40.00' },
    { tradingsymbol: 'PE23800', side: 'BUY', quantity: 65, price: '12.25' },
    { tradingsymbol: 'CE24600', side: 'SELL', quantity: 65, price: '35.50' },
    { tradingsymbol: 'CE24800', side: 'BUY', quantity: 65, price: '10.05' },
  ],
};
// Credit (40 + 35.50 − 12.25 − 10.05) × 65 = 53.20 × 65 = 3458.00.
const marks = (pe: string, pew: string, ce: string, cew: string) => ({
  PE24000: pe,
  PE23800: pew,
  CE24600: ce,
  CE24800: cew,
});
const at = (minute: number, date = '2026-05-06') => ({ date, minute });

describe('exit rules', () => {
  const rule = exitRuleFor('IRON_CONDOR');

  it('measures the premium and the P&L exactly, shorts gaining as prices fall', () => {
    expect(entryPremium(condor)).toBe('3458.00');
    // Closing now costs 20 + 15.50 − 6.10 − 4.05 = 25.35 a unit: P&L (53.20 − 25.35) × 65 = 1810.25.
    expect(structurePnl(condor, marks('20.00', '6.10', '15.50', '4.05'))).toBe('1810.25');
    expect(structurePnl(condor, { ...marks('1', '1', '1', '1'), CE24800: null })).toBeNull();
  });

  it('takes profit at 50% of the credit, not before', () => {
    // 52.3% of the credit made: exit.
    expect(exitDue(condor, rule, at(600), marks('20.00', '6.10', '15.50', '4.05'))).toMatchObject({
      reason: 'profit_target',
      detail: expect.stringContaining('1810.25 on a premium of 3458.00 (52.3%)') as string,
    });
    // (53.20 − 28.00) × 65 = 1638.00, 47.4%: hold.
    expect(exitDue(condor, rule, at(600), marks('22.00', '6.10', '16.15', '4.05'))).toBeNull();
  });

  it('stops at a loss the size of the credit; the stop wins over a clock rule', () => {
    // Closing costs 90 + 40 − 20 − 3.60 = 106.40 a unit: (53.20 − 106.40) × 65 = −3458.00, exactly −100%.
    const v = exitDue(condor, rule, at(14 * 60 + 45, '2026-05-12'), marks('90.00', '20.00', '40.00', '3.60'));
    expect(v).toMatchObject({ reason: 'stop_loss', detail: expect.stringContaining('-3458.00') as string });
    expect(exitDue(condor, rule, at(600), marks('89.95', '20.00', '40.00', '3.60'))).toBeNull();
  });

  it('leaves on its expiry day from 14:30, and on a time stop where the template has one', () => {
    const flat = marks('40.00', '12.25', '35.50', '10.05');
    expect(exitDue(condor, rule, at(14 * 60 + 25, '2026-05-12'), flat)).toBeNull();
    expect(exitDue(condor, rule, at(14 * 60 + 30, '2026-05-12'), flat)?.reason).toBe('expiry_day');
    // Not the expiry day: a condor has no time stop.
    expect(exitDue(condor, rule, at(15 * 60), flat)).toBeNull();
    const straddle: OpenStructure = {
      ...condor,
      structure: 'LONG_STRADDLE',
      legs: [
        { tradingsymbol: 'PE24300', side: 'BUY', quantity: 65, price: '100.00' },
        { tradingsymbol: 'CE24300', side: 'BUY', quantity: 65, price: '95.00' },
      ],
    };
    const r = exitRuleFor('LONG_STRADDLE');
    const still = { PE24300: '100.00', CE24300: '95.00' };
    expect(entryPremium(straddle)).toBe('-12675.00');
    expect(exitDue(straddle, r, at(straddle.openedMinute + 119), still)).toBeNull();
    expect(exitDue(straddle, r, at(straddle.openedMinute + 120), still)).toMatchObject({
      reason: 'time_stop',
      detail: 'held 120 min ≥ 120 min',
    });
    // A debit structure's stop: 30% of 12675.00 = 3802.50 lost.
    expect(exitDue(straddle, r, at(600), { PE24300: '71.50', CE24300: '65.00' })?.reason).toBe('stop_loss');
    expect(exitDue(straddle, r, at(600), { PE24300: '71.55', CE24300: '65.00' })).toBeNull();
    // Price rules without every mark are skipped; a time stop from overrides still applies.
    expect(exitDue(condor, exitRuleFor('IRON_CONDOR', { timeStopMinutes: 30 }), at(605), {})?.reason).toBe('time_stop');
  });

  it('win rate and average winner/loser over closed structures, exact', () => {
    expect(closedStats([])).toEqual({
      closedStructures: 0,
      winners: 0,
      losers: 0,
      winRate: null,
      averageWinner: null,
      averageLoser: null,
    });
    expect(closedStats(['1810.25', '-3458.00', '0.00', '100.01'])).toEqual({
      closedStructures: 4,
      winners: 2,
      losers: 2,
      winRate: 0.5,
      averageWinner: '955.13',
      averageLoser: '-1729.00',
    });
  });
});

describe('the daily loss guard', () => {
  it('fires at the limit, not a paisa before', () => {
    expect(dailyLossBreach('-24999.99', '25000.00')).toBeNull();
    expect(dailyLossBreach('1000.00', '25000.00')).toBeNull();
    expect(dailyLossBreach('-25000.00', '25000.00')).toBe(
      'daily loss limit ₹25000.00 reached (P&L ₹-25000.00): book closed, reduce-only',
    );
  });
});
