/** Structured JSON logs (pino) for every process; `component` names the part speaking. */
import pino, { Logger } from 'pino';

export type { Logger };

export function createLogger(component: string, level = process.env.QS_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { component, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * A loop's repeated failure, logged as a streak: the first failure at once, then at most one line
 * per `everyMs` saying how many have failed since, and one line when it works again. Without it a
 * Postgres outage under a one-second poll writes a line a second and buries what else happened.
 */
export class FailureStreak {
  private failures = 0;
  private firstAt = 0;
  private loggedAt = 0;

  constructor(
    private readonly log: Logger,
    private readonly what: string,
    private readonly everyMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  failed(err: unknown): void {
    const t = this.now();
    this.failures++;
    if (this.failures === 1) {
      this.firstAt = this.loggedAt = t;
      this.log.error({ err }, `${this.what} failed`);
    } else if (t - this.loggedAt >= this.everyMs) {
      this.loggedAt = t;
      this.log.error({ err, failures: this.failures, failingForMs: t - this.firstAt }, `${this.what} still failing`);
    }
  }

  succeeded(): void {
    if (this.failures === 0) return;
    // warn, not info: it must show wherever the failure showed (the stack logs warn and up).
    this.log.warn({ failures: this.failures, failedForMs: this.now() - this.firstAt }, `${this.what} works again`);
    this.failures = 0;
  }
}
