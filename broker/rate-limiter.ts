/**
 * Rate limits of a broker client account (Kite: 10 orders/s, 400/min, 5,000/day per account).
 * `acquire()` waits until every sliding window has room, then records the request, so bursts
 * queue instead of failing with HTTP 429; a full daily cap refuses instead (waiting hours is
 * never the right answer to an order).
 * - `SlidingWindowLimiter`: one process (reads; tests of the adapter alone).
 * - `SharedAccountLimiter`: every process and worker of the account, counted in Postgres under
 *   a per-account advisory lock and stamped by the database clock (db/broker-rate.ts), so two
 *   broker workers on two machines share one 10/s budget. The registry uses it for orders.
 */
import type { Pool } from 'pg';
import { reserveOrderSlot, type SlotState } from '../db/broker-rate';
import { OrderRejectedError } from './errors';

export interface RateWindow {
  readonly max: number;
  readonly windowMs: number;
}

const DAY_MS = 86_400_000;

/** Sliding windows (10/s, 400/min); the daily cap is KITE_DAILY_ORDER_CAP. */
export const KITE_ORDER_LIMITS: readonly RateWindow[] = [
  { max: 10, windowMs: 1_000 },
  { max: 400, windowMs: 60_000 },
];

/**
 * How far past each window a limiter waits: we stamp a request before it leaves, the broker when
 * it arrives, and a request delayed after its stamp (a busy event loop, a slow commit) lands
 * later than stamped. 150 ms let an 11th order into one second at the broker on a loaded
 * machine, in one process and across two workers; 300 ms did not.
 */
export const WINDOW_MARGIN_MS = 300;

/** Orders per client account per day (Kite counts the IST trading day). */
export const KITE_DAILY_ORDER_CAP = 5_000;

export class DailyOrderCapError extends OrderRejectedError {}

const capReached = (cap: number) =>
  new DailyOrderCapError(`the account's daily order cap (${cap}) is reached: no more orders today`, 'DAILY_CAP');

/**
 * Milliseconds until one more request fits every window, given the earlier requests' times
 * (ascending); 0 = now. `marginMs` widens each window (jitter between our stamp and the broker's).
 */
export function windowDelayMs(stamps: readonly number[], at: number, windows: readonly RateWindow[], marginMs = 0) {
  let wait = 0;
  for (const w of windows) {
    const inWindow = stamps.filter((t) => t > at - w.windowMs - marginMs);
    if (inWindow.length >= w.max) {
      // Room opens when the oldest request that keeps the window full slides out.
      const oldest = inWindow[inWindow.length - w.max]!;
      wait = Math.max(wait, oldest + w.windowMs + marginMs - at + 1);
    }
  }
  return wait;
}

/** Kite's limit for everything that is not an order (quotes, order book, positions…). */
export const KITE_READ_LIMITS: readonly RateWindow[] = [{ max: 10, windowMs: 1_000 }];

export class SlidingWindowLimiter {
  /** Request times, oldest first; kept only as long as the longest window. */
  private readonly stamps: number[] = [];
  /** Grants of the last 24 hours, for the daily cap. */
  private daily: number[] = [];
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
    private readonly dailyCap = Number.POSITIVE_INFINITY,
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
    return windowDelayMs(this.stamps, at, this.windows, this.marginMs);
  }

  private async waitForRoom(): Promise<void> {
    for (;;) {
      const wait = this.delayMs();
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    const at = this.now();
    if (Number.isFinite(this.dailyCap)) {
      // In one process a rolling 24 hours stands in for Kite's IST day (stricter, never looser).
      this.daily = this.daily.filter((t) => t > at - DAY_MS);
      if (this.daily.length >= this.dailyCap) throw capReached(this.dailyCap);
      this.daily.push(at);
    }
    this.stamps.push(at);
  }

  private prune(at: number): void {
    while (this.stamps.length > 0 && this.stamps[0]! <= at - this.horizon - this.marginMs) this.stamps.shift();
  }
}

/**
 * One client account's order budget shared by every process: each acquire takes a slot in
 * Postgres (or learns how long to wait) under the account's advisory lock, timed by the
 * database clock. `account` is the broker's client id (Kite user id), not a tenant: tenants
 * trading through one account share its budget.
 */
export class SharedAccountLimiter {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly account: string,
    private readonly windows: readonly RateWindow[] = KITE_ORDER_LIMITS,
    private readonly dailyCap = KITE_DAILY_ORDER_CAP,
    /** Past each window (slots are stamped by the database clock before the request leaves). */
    private readonly marginMs = WINDOW_MARGIN_MS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when one more order may go out; rejects with DailyOrderCapError past the cap. */
  acquire(): Promise<void> {
    // Callers in this process queue here, so they do not all poll the database at once.
    const turn = this.queue.then(() => this.take());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private decide = (s: SlotState): number | 'take' | 'capped' => {
    if (s.today >= this.dailyCap) return 'capped';
    const wait = windowDelayMs(s.recent, s.nowMs, this.windows, this.marginMs);
    return wait > 0 ? wait : 'take';
  };

  private async take(): Promise<void> {
    const horizon = Math.max(...this.windows.map((w) => w.windowMs)) + this.marginMs;
    for (;;) {
      const verdict = await reserveOrderSlot(this.pool, this.account, horizon, this.decide);
      if (verdict === 'take') return;
      if (verdict === 'capped') throw capReached(this.dailyCap);
      await this.sleep(verdict);
    }
  }
}
