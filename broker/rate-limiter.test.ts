import { DailyOrderCapError, KITE_ORDER_LIMITS, SlidingWindowLimiter, windowDelayMs } from './rate-limiter';

/** A virtual clock: sleeping advances time, so the test checks the schedule, not the wall clock. */
function virtualClock() {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('SlidingWindowLimiter', () => {
  it('never lets more than 10 orders into any second nor 400 into any minute', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(KITE_ORDER_LIMITS, clock.now, clock.sleep);
    const sent: number[] = [];
    for (let i = 0; i < 900; i++) {
      const release = await limiter.acquire();
      sent.push(clock.now());
      await release(); // answered at once
    }
    for (let i = 0; i < sent.length; i++) {
      const inSecond = sent.filter((t) => t > sent[i]! - 1000 && t <= sent[i]!).length;
      const inMinute = sent.filter((t) => t > sent[i]! - 60_000 && t <= sent[i]!).length;
      expect(inSecond).toBeLessThanOrEqual(10);
      expect(inMinute).toBeLessThanOrEqual(400);
    }
    // 900 orders at 400/min need at least two full minutes beyond the first batch.
    expect(sent[sent.length - 1]! - sent[0]!).toBeGreaterThanOrEqual(120_000);
    // …and no more than the limits force (the first 10 go at once).
    expect(sent[9]).toBe(sent[0]);
    expect(sent[10]! - sent[0]!).toBeGreaterThanOrEqual(1000);
    expect(sent[10]! - sent[0]!).toBeLessThan(1010);
  });

  it('counts a request until its answer: a slow answer holds the next second back by as much', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter([{ max: 2, windowMs: 1000 }], clock.now, clock.sleep);
    const start = clock.now();
    const first = await limiter.acquire(5000);
    const second = await limiter.acquire(5000);
    // Both answered 400 ms later: either may have reached the broker as late as that.
    await clock.sleep(400);
    await first();
    await second();
    await limiter.acquire();
    expect(clock.now() - start).toBeGreaterThanOrEqual(1400);
  });

  it('counts an unanswered request as arriving now until its timeout, then as arrived by then', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter([{ max: 1, windowMs: 1000 }], clock.now, clock.sleep);
    const start = clock.now();
    await limiter.acquire(3000); // never released: a worker that died with the request in flight
    await limiter.acquire();
    expect(clock.now() - start).toBeGreaterThanOrEqual(4000);
    expect(clock.now() - start).toBeLessThan(4100);
  });

  it('serves concurrent callers in arrival order', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter([{ max: 2, windowMs: 100 }], clock.now, clock.sleep);
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        limiter.acquire().then(async (release) => {
          order.push(i);
          await release();
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses past the daily cap instead of waiting for tomorrow', async () => {
    const clock = virtualClock();
    const limiter = new SlidingWindowLimiter(KITE_ORDER_LIMITS, clock.now, clock.sleep, 0, 25);
    for (let i = 0; i < 25; i++) await (await limiter.acquire())();
    await expect(limiter.acquire()).rejects.toBeInstanceOf(DailyOrderCapError);
    // A day later the budget is back.
    await clock.sleep(86_400_000);
    await expect(limiter.acquire()).resolves.toBeInstanceOf(Function);
  });
});

describe('windowDelayMs', () => {
  it('waits for the oldest request keeping a full window full to slide out, past the margin', () => {
    const w = [{ max: 3, windowMs: 1000 }];
    expect(windowDelayMs([100, 200], 500, w)).toBe(0);
    expect(windowDelayMs([100, 200, 300], 500, w)).toBe(601);
    expect(windowDelayMs([100, 200, 300], 500, w, 50)).toBe(651);
    expect(windowDelayMs([100, 200, 300, 400], 500, w)).toBe(701);
  });
});
