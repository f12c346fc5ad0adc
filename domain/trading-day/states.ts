/**
 * A trading day's control state, after nautilus_trader's TradingState: ACTIVE (anything the
 * castle allows), REDUCING (only exits and cancels), HALTED (nothing new; cancels still go).
 * Pause is orthogonal: a paused day skips its decision ticks until resumed. Operators change it
 * through workflow updates; `validateRequest` is the validator (it says why a request is refused)
 * and `applyRequest` the handler's pure half. Pure: runs inside the workflow.
 */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
export const TRADING_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];

/** pre_open → open (decision loop) → closing (square-off, final reconciliation) → closed. */
export type DayPhase = 'pre_open' | 'open' | 'closing' | 'closed';

export interface DayControl {
  readonly state: TradingState;
  readonly paused: boolean;
  readonly phase: DayPhase;
  readonly cadenceMinutes: number;
  /** Why the day is not ACTIVE (pre-open verdict, operator's reason), or null. */
  readonly stateReason: string | null;
  /** A flatten asked for and not yet carried out. */
  readonly flattenPending: boolean;
  /** Open positions at the last mark. */
  readonly openPositions: number;
}

export type DayRequest =
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'reduce' }
  | { readonly kind: 'halt' }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'setCadence'; readonly minutes: number };

export const MIN_CADENCE_MINUTES = 1;
export const MAX_CADENCE_MINUTES = 60;

const over = (c: DayControl) => c.phase === 'closing' || c.phase === 'closed';

/** null when the request may be applied now, else why not (the validator's rejection). */
export function validateRequest(c: DayControl, r: DayRequest): string | null {
  if (over(c)) return `the trading day is over (${c.phase}): nothing to ${r.kind}`;
  switch (r.kind) {
    case 'pause':
      return c.paused ? 'the day is already paused' : null;
    case 'resume':
      return !c.paused && c.state === 'ACTIVE' ? 'the day is already active and running' : null;
    case 'reduce':
      if (c.state === 'REDUCING') return 'the day is already reduce-only';
      return c.state === 'HALTED' ? 'the day is halted: reduce-only would loosen it (resume first)' : null;
    case 'halt':
      return c.state === 'HALTED' ? 'the day is already halted' : null;
    case 'flatten':
      if (c.flattenPending) return 'a flatten is already under way';
      return c.openPositions === 0 ? 'nothing to flatten: the book is flat' : null;
    case 'setCadence':
      if (!Number.isInteger(r.minutes) || r.minutes < MIN_CADENCE_MINUTES || r.minutes > MAX_CADENCE_MINUTES)
        return `cadence: expected whole minutes in ${MIN_CADENCE_MINUTES}..${MAX_CADENCE_MINUTES}, got ${r.minutes}`;
      return r.minutes === c.cadenceMinutes ? `the cadence is already ${r.minutes} minutes` : null;
  }
}

/** The state after a valid request (callers validate first). */
export function applyRequest(c: DayControl, r: DayRequest, reason: string | null = null): DayControl {
  switch (r.kind) {
    case 'pause':
      return { ...c, paused: true };
    case 'resume':
      return { ...c, paused: false, state: 'ACTIVE', stateReason: null };
    case 'reduce':
      return { ...c, state: 'REDUCING', stateReason: reason ?? 'reduce-only by request' };
    case 'halt':
      return { ...c, state: 'HALTED', stateReason: reason ?? 'halted by request' };
    case 'flatten':
      return { ...c, flattenPending: true };
    case 'setCadence':
      return { ...c, cadenceMinutes: r.minutes };
  }
}

/** New entries only when ACTIVE, running and inside the session. */
export function mayEnter(c: DayControl): boolean {
  return c.state === 'ACTIVE' && !c.paused && c.phase === 'open';
}

/** Exit rules act while the session is open, the day running and not HALTED (REDUCING is for exits). */
export function mayExit(c: DayControl): boolean {
  return c.state !== 'HALTED' && !c.paused && c.phase === 'open';
}
