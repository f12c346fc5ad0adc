import { isPlatformTag, orderTag, TAG_PATTERN, workflowTagStem } from './order-tags';

describe('order tags', () => {
  it('are deterministic, Kite-valid and distinct per leg, purpose and attempt', () => {
    const wf = 'order/7/2026-05-05/3';
    const t = orderTag(wf, 'E', 1, 0);
    expect(t).toBe(orderTag(wf, 'E', 1, 0));
    expect(t).toMatch(TAG_PATTERN);
    expect(t.length).toBeLessThanOrEqual(20);
    expect(isPlatformTag(t)).toBe(true);
    const all = new Set([
      orderTag(wf, 'E', 0),
      orderTag(wf, 'E', 1),
      orderTag(wf, 'U', 1),
      orderTag(wf, 'U', 1, 1),
      orderTag(`${wf}x`, 'E', 1),
    ]);
    expect(all.size).toBe(5);
  });

  it('do not collide across many workflow ids', () => {
    const stems = new Set<string>();
    for (let i = 0; i < 20000; i++) stems.add(workflowTagStem(`order/${i % 50}/${i}`));
    expect(stems.size).toBe(20000);
  });

  it('refuse out-of-range legs and attempts', () => {
    expect(() => orderTag('w', 'E', 36)).toThrow(RangeError);
    expect(() => orderTag('w', 'E', 0, -1)).toThrow(RangeError);
  });
  it('tell foreign tags apart', () => {
    expect(isPlatformTag('manual123')).toBe(false);
    expect(isPlatformTag(null)).toBe(false);
  });
});
