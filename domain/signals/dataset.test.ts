import { simulateDays } from '../market';
import { buildSignalDataset, rowsOf } from './dataset';
import { MissingFactorError } from './learners/features';
import { SIGNAL_MODULES } from './registry';
import { forwardTargets } from './targets';

describe('the signal dataset', () => {
  const options = {
    instrument: 'NIFTY' as const,
    fromDate: '2026-03-02',
    seeds: [41],
    warmupDays: 3,
    sampleDays: 3,
    trainDays: 1,
    calibrationDays: 1,
    decisionTimes: ['10:00', '13:00'],
    chain: { strikesEachSide: 8 },
  };
  const rows = buildSignalDataset(options);
  const days = simulateDays({ instrument: 'NIFTY', fromDate: '2026-03-02', days: 6, seed: 41 });

  it('has one row per sampled day and decision time, split train → calibration → test in time', () => {
    expect(rows.map((r) => [r.date, r.minute, r.split])).toEqual([
      [days[3]!.date, 45, 'train'],
      [days[3]!.date, 225, 'train'],
      [days[4]!.date, 45, 'calibration'],
      [days[4]!.date, 225, 'calibration'],
      [days[5]!.date, 45, 'test'],
      [days[5]!.date, 225, 'test'],
    ]);
    expect(rowsOf(rows, 'calibration')).toHaveLength(2);
  });

  it('labels each row with what followed its decision, and with the regime of the last completed minute', () => {
    rows.forEach((r, i) => {
      const day = days[3 + Math.floor(i / 2)]!;
      expect(r.targets).toEqual(forwardTargets(day, r.minute, 60));
      expect(r.regime).toBe(day.bars[r.minute - 1]!.regime);
      expect(r.snapshotId).toMatch(/^snap_/);
    });
  });

  it('computes factors on snapshots with the warm-up days as history and the day’s earlier snapshot', () => {
    for (const r of rows) {
      expect(r.factors.vol_index).toBeGreaterThan(0);
      expect(r.factors.vol_index_change_1d).not.toBeNull(); // yesterday is in the history …
      expect(r.factors.mom_5d).toBeNull(); // … five days ago is not: each row sees the 3 warm-up days
    }
    expect(rows[0]!.factors.oi_change_net).toBeNull();
    expect(rows[1]!.factors.oi_change_net).not.toBeNull();
  });

  it('refuses a decision time whose horizon runs past the close', () => {
    expect(() => buildSignalDataset({ ...options, sampleDays: 1, decisionTimes: ['14:45'] })).toThrow(
      /14:45 plus 60 minutes runs past the close/,
    );
  });

  it('modules refuse test rows, and rows without the regime probabilities they read', () => {
    expect(() => SIGNAL_MODULES.realised_vol.train(rows)).toThrow(/test rows must not reach train/);
    expect(() => SIGNAL_MODULES.realised_vol.train(rows.filter((r) => r.split !== 'test'))).toThrow(MissingFactorError);
  });
});
