/**
 * Sliding-window rate limiter for a broker account's limits (Kite: 10 orders/s and 400/min per
 * account). `acquire()` waits until every window has room, then records the request, so bursts
 * queue instead of failing with HTTP 429. One limiter per account per process (see
 * broker/registry.ts); across processes the broker task queue's activity rate cap
 * (workers/broker.ts) keeps the total under the same ceiling.
 */
export interface RateWindow {
  readonly max: number;
  readonly windowMs: number;
}

export const KITE_ORDER_LIMITS: readonly RateWindow[] = [
  { max: 10, windowMs: 1_000 },
  { max: 400, windowMs: 60_000 },
];

/** Kite's limit for everything that is not an order (quotes, order book, positions…). */
export const KITE_READ_LIMITS: readonly RateWindow[] = [{ max: 10, windowMs: 1_000 }];

export class SlidingWindowLimiter {
  /** Request times, oldest first; kept only as long as the longest window. */
  private readonly stamps: number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private readonly horizon: number;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    /**
     * Extra wait past each window: we stamp a request when we release it, the broker when it
     * arrives, so jitter could otherwise put two batches inside one of the broker's windows.
     */
    private readonly marginMs = 0,
  ) {
    if (windows.length === 0) throw new Error('a rate limiter needs at least one window');
    this.horizon = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Resolves when the caller may send one request (callers are served in arrival order). */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForRoom());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** How long the next request would wait right now (0 = immediately). */
  delayMs(at = this.now()): number {
    this.prune(at);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = this.stamps.filter((t) => t > at - w.windowMs - this.marginMs);
      if (inWindow.length >= w.max) {
        // Room opens when the oldest request that keeps the window full slides out.
        const oldest = inWindow[inWindow.length - w.max]!;
        wait = Math.max(wait, oldest + w.windowMs + this.marginMs - at + 1);
      }
    }
    return wait;
  }

  private async waitForRoom(): Promise<void> {
    for (;;) {
      const wait = this.delayMs();
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    this.stamps.push(this.now());
  }

  private prune(at: number): void {
    while (this.stamps.length > 0 && this.stamps[0]! <= at - this.horizon - this.marginMs) this.stamps.shift();
  }
}
