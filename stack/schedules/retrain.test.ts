import { MODEL_TYPE_IDS } from '../../ml/model-types';
import { retrainSchedules, retrainSlot } from './retrain';

describe('retrain schedule slots', () => {
  it('one type per 20-minute slot, all inside Sunday 03:00–06:30 IST', () => {
    const defs = retrainSchedules();
    expect(defs).toHaveLength(MODEL_TYPE_IDS.length);
    const starts = defs.map((d) => d.spec.calendars![0]!).map((c) => Number(c.hour) * 60 + Number(c.minute));
    expect(new Set(starts).size).toBe(starts.length);
    for (const s of starts) {
      expect(s).toBeGreaterThanOrEqual(180);
      expect(s + 20).toBeLessThanOrEqual(390);
    }
    for (const d of defs) {
      expect(d.spec.timezone).toBe('Asia/Kolkata');
      expect(d.spec.calendars![0]!.dayOfWeek).toBe('SUNDAY');
    }
  });

  it('refuses a slot beyond the window rather than scheduling outside it', () => {
    // Ten 20-minute slots: 03:00, 03:20, … 06:00 (ends 06:20); the eleventh would end at 06:40.
    expect(retrainSlot(7)).toEqual({ hour: 5, minute: 20 });
    expect(retrainSlot(9)).toEqual({ hour: 6, minute: 0 });
    expect(() => retrainSlot(10)).toThrow(/outside the Sunday 03:00–06:30 IST window/);
  });

  it('every model type has its slot (tenant_profile included), in catalogue order', () => {
    const defs = retrainSchedules();
    expect(defs.map((d) => d.scheduleId)).toContain('retrain/tenant_profile');
    const at = defs.map((d) => d.spec.calendars![0]!).map((c) => `${String(c.hour)}:${String(c.minute)}`);
    expect(at).toEqual(['3:0', '3:20', '3:40', '4:0', '4:20', '4:40', '5:0', '5:20']);
  });
});
