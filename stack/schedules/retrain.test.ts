import { MODEL_TYPE_IDS } from '../../ml/model-types';
import { retrainSchedules, retrainSlot } from './retrain';

describe('retrain schedule slots', () => {
  it('one type per 30-minute slot, all inside Sunday 03:00–06:30 IST', () => {
    const defs = retrainSchedules();
    expect(defs).toHaveLength(MODEL_TYPE_IDS.length);
    const starts = defs.map((d) => d.spec.calendars![0]!).map((c) => Number(c.hour) * 60 + Number(c.minute));
    expect(new Set(starts).size).toBe(starts.length);
    for (const s of starts) {
      expect(s).toBeGreaterThanOrEqual(180);
      expect(s + 30).toBeLessThanOrEqual(390);
    }
    for (const d of defs) {
      expect(d.spec.timezone).toBe('Asia/Kolkata');
      expect(d.spec.calendars![0]!.dayOfWeek).toBe('SUNDAY');
    }
  });

  it('refuses a slot beyond the window rather than scheduling outside it', () => {
    expect(retrainSlot(6)).toEqual({ hour: 6, minute: 0 });
    expect(() => retrainSlot(7)).toThrow(/outside the Sunday 03:00–06:30 IST window/);
  });
});
