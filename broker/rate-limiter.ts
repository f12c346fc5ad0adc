/**
 * Rate limits of a broker client account (Kite: 10 orders/s, 400/min, 5,000/day per account).
 * `acquire()` waits until every sliding window has room, then records the request, so bursts
 * queue instead of failing with HTTP 429; a full daily cap refuses instead (waiting hours is
 * never the right answer to an order).
 *
 * The broker counts a request when it arrives, which we cannot see; we only know it arrived
 * after we took its slot and before its answer came back (or its timeout passed). So a request
 * counts in the windows at the latest time it can have arrived: "now" while it is in flight, the
 * time of its answer once `release()` is called. Then no jitter between our stamp and the
 * broker's (a busy event loop, a slow network) can put an 11th order into one of its seconds;
 * a fixed margin only made that unlikely (150 ms, then 300 ms, both failed on a loaded machine).
 * - `SlidingWindowLimiter`: one process (reads; tests of the adapter alone).
 * - `SharedAccountLimiter`: every process and worker of the account, counted in Postgres under
 *   a per-account advisory lock and stamped by the database clock (db/broker-rate.ts), so two
 *   broker workers on two machines share one 10/s budget. The registry uses it for orders.
 */
import type { Pool } from 'pg';
import { releaseOrderSlot, reserveOrderSlot, type SlotState } from '../db/broker-rate';
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
 * How far past each window a limiter waits. Requests count until their answers (above), so this
 * covers only rounding and how the broker draws its second (a fixed clock second fits inside
 * any sliding one), not jitter.
 */
export const WINDOW_MARGIN_MS = 50;

/** How long a request counts at most when its caller names no timeout of its own. */
export const DEFAULT_FLIGHT_MS = 7_000;

/**
 * Called when the request's answer is in, or it failed: from then on the broker cannot receive
 * it. Never throws; a release that cannot be recorded leaves the request counted as in flight
 * until its timeout, which errs on the safe side.
 */
export type Release = () => Promise<void>;

/** What a request waits on before it goes out (a rate limiter); `maxFlightMs` is its timeout. */
export interface RequestGate {
  acquire(maxFlightMs?: number): Promise<Release>;
}

/** Orders per client account per day (Kite counts the IST trading day). */
export const KITE_DAILY_ORDER_CAP = 5_000;

export class DailyOrderCapError extends OrderRejectedError {}

const capReached = (cap: number) =>
  new DailyOrderCapError(`the account's daily order cap (${cap}) is reached: no more orders today`, 'DAILY_CAP');

/**
 * Milliseconds until one more request fits every window, given the latest times the earlier
 * requests can have reached the broker (ascending, none after `at`); 0 = now. `marginMs` widens
 * each window.
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

export class SlidingWindowLimiter implements RequestGate {
  /** The latest time each request can have arrived: its timeout while in flight, then its answer. */
  private stamps: Array<{ arrivedBy: number }> = [];
  /** Grants of the last 24 hours, for the daily cap. */
  private daily: number[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly horizon: number;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly marginMs = 0,
    private readonly dailyCap = Number.POSITIVE_INFINITY,
  ) {
    if (windows.length === 0) throw new Error('a rate limiter needs at least one window');
    this.horizon = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Resolves when the caller may send one request (callers are served in arrival order). */
  acquire(maxFlightMs = DEFAULT_FLIGHT_MS): Promise<Release> {
    const turn = this.queue.then(() => this.waitForRoom(maxFlightMs));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** How long the next request would wait right now (0 = immediately). */
  delayMs(at = this.now()): number {
    const latest = (s: { arrivedBy: number }) => Math.min(s.arrivedBy, at);
    this.stamps = this.stamps.filter((s) => latest(s) > at - this.horizon - this.marginMs);
    return windowDelayMs(
      this.stamps.map(latest).sort((a, b) => a - b),
      at,
      this.windows,
      this.marginMs,
    );
  }

  private async waitForRoom(maxFlightMs: number): Promise<Release> {
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
    const stamp = { arrivedBy: at + maxFlightMs };
    this.stamps.push(stamp);
    return async () => {
      stamp.arrivedBy = Math.min(stamp.arrivedBy, this.now());
    };
  }
}

/**
 * One client account's order budget shared by every process: each acquire takes a slot in
 * Postgres (or learns how long to wait) under the account's advisory lock, timed by the
 * database clock. `account` is the broker's client id (Kite user id), not a tenant: tenants
 * trading through one account share its budget.
 */
export class SharedAccountLimiter implements RequestGate {
  private queue: Promise<unknown> = Promise.resolve();

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
  acquire(maxFlightMs = DEFAULT_FLIGHT_MS): Promise<Release> {
    // Callers in this process queue here, so they do not all poll the database at once.
    const turn = this.queue.then(() => this.take(maxFlightMs));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private decide = (s: SlotState): number | 'take' | 'capped' => {
    if (s.today >= this.dailyCap) return 'capped';
    const wait = windowDelayMs(s.recent, s.nowMs, this.windows, this.marginMs);
    return wait > 0 ? wait : 'take';
  };

  private async take(maxFlightMs: number): Promise<Release> {
    const horizon = Math.max(...this.windows.map((w) => w.windowMs)) + this.marginMs;
    for (;;) {
      const verdict = await reserveOrderSlot(this.pool, this.account, { horizonMs: horizon, maxFlightMs }, this.decide);
      if (verdict === 'capped') throw capReached(this.dailyCap);
      if (typeof verdict === 'number') await this.sleep(verdict);
      else return () => releaseOrderSlot(this.pool, verdict.stampId).catch(() => undefined);
    }
  }
}
