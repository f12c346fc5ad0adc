/**
 * TradingDay's vocabulary, shared by the workflow, its activities and clients (CLI, API,
 * schedules): business key, input, status (the query's answer), summary (the result) and the
 * update/query definitions. Definitions are built as defineUpdate/defineQuery build them (those
 * functions live in the workflow package; clients need the definitions too).
 */
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { OrderPlacementOptions } from './orders';
import type { ModelPin } from '../domain/decision';
import type { DayPhase, ExitOverrides, OpenStructure, TradingState } from '../domain/trading-day';

export type { DayPhase, ExitOverrides, ModelPin, OpenStructure, TradingState };

/** One workflow per (tenant, trading date): a repeated start is a no-op. */
export const tradingDayWorkflowId = (tenantId: number, date: string) => `trading-day/${tenantId}/${date}`;

/** live: IST through workflow timers. accelerated: market time advanced per tick, no waiting. */
export type ClockMode = 'live' | 'accelerated';

export interface TradingDayInput {
  readonly tenantId: number;
  /** Trading date (YYYY-MM-DD, IST). */
  readonly date: string;
  readonly mode?: ClockMode;
  /** Minutes of market time between decisions (default 5). */
  readonly cadenceMinutes?: number;
  /** Simulator seed of the market decide sees (default 7): same seed, same decisions. */
  readonly seed?: number;
  readonly instrument?: 'NIFTY' | 'BANKNIFTY';
  /** Options for the OrderPlacement children (fill timeouts, polling). */
  readonly orderOptions?: OrderPlacementOptions;
  /** Overrides of every structure template's exit rule (domain/trading-day/exits.ts) for this day. */
  readonly exitRules?: ExitOverrides;
  /** A daily loss guard tighter than the tenant's limit for this day (rupees, e.g. "10000.00"). */
  readonly maxDailyLoss?: string;
  /** Task queue of the tenant's own broker worker, for the day's placements and cancels. */
  readonly brokerTaskQueue?: string;
  /** Continue as new after this many ticks in one run even if Temporal has not suggested it (tests). */
  readonly maxTicksPerRun?: number;
  /** The state carried across continue-as-new; absent on a day's first run. */
  readonly carried?: CarriedDay;
}

/** Who asked for a change, and why: every change is audited with it. */
export interface DayRequestMeta {
  readonly by: string;
  readonly reason?: string;
}

export interface SetCadenceRequest extends DayRequestMeta {
  readonly minutes: number;
}

export interface BookPosition {
  readonly tradingsymbol: string;
  readonly quantity: number;
  readonly averagePrice: string;
  readonly mark: string | null;
}

export interface DayChange {
  readonly kind: string;
  readonly by: string;
  readonly reason: string | null;
  /** Market time at which it took effect. */
  readonly at: string;
}

/** What the status query answers. */
export interface DayStatus {
  readonly workflowId: string;
  readonly tenantId: number;
  readonly date: string;
  readonly mode: ClockMode;
  readonly state: TradingState;
  readonly stateReason: string | null;
  readonly paused: boolean;
  readonly phase: DayPhase;
  readonly cadenceMinutes: number;
  /** Market time of the next decision tick, or null when no tick is left. */
  readonly nextTick: string | null;
  readonly decisions: number;
  readonly trades: number;
  readonly refusals: Readonly<Record<string, number>>;
  readonly positions: readonly BookPosition[];
  /** Realised + unrealised at the last mark (rupees, decimal string). */
  readonly pnl: string;
  readonly changes: readonly DayChange[];
  /** Structures entered and not yet closed, watched by the exit rules. */
  readonly openStructures: readonly OpenStructure[];
  /** Exits taken so far, by rule (profit_target, stop_loss, time_stop, expiry_day). */
  readonly exits: Readonly<Record<string, number>>;
  /** The model versions pinned at the open (empty: production at each decision). */
  readonly models: readonly ModelPin[];
}

/** Everything the loop has accumulated; carried across continue-as-new. */
export interface CarriedDay {
  readonly state: TradingState;
  readonly stateReason: string | null;
  readonly paused: boolean;
  readonly cadenceMinutes: number;
  /** The next tick's market minute of day, or null when the loop is done. */
  readonly nextMinute: number | null;
  readonly decisionIds: readonly string[];
  /** Every OrderPlacement child's decision id (entries, flattens, the square-off): the day's costs. */
  readonly placementIds: readonly string[];
  readonly trades: number;
  readonly refusals: Readonly<Record<string, number>>;
  /** The book's value at the open: the day's P&L is measured from it. */
  readonly openingValue: string;
  readonly pnl: string;
  readonly positions: readonly BookPosition[];
  readonly pnlPath: readonly string[];
  readonly changes: readonly DayChange[];
  readonly flattens: number;
  readonly squaredOff: number;
  readonly openStructures: readonly OpenStructure[];
  /** Gross P&L of every structure closed so far (exit, flatten, square-off): win rate, average winner/loser. */
  readonly closedPnls: readonly string[];
  readonly exits: Readonly<Record<string, number>>;
  /** Pinned at the open and passed to every decide: a mid-day promotion does not change the day's models. */
  readonly models: readonly ModelPin[];
  /** The tenant's daily loss limit at the open (rupees); absent in days opened before the guard. */
  readonly maxDailyLoss?: string;
  /** The tenant's own broker queue, looked up at the open (absent: the shared one, or the input's). */
  readonly brokerTaskQueue?: string;
}

export type DayEndStatus = 'completed' | 'holiday' | 'halted';

/** The day summary row and the workflow's result. */
export interface DaySummary {
  readonly workflowId: string;
  readonly tenantId: number;
  readonly date: string;
  readonly mode: ClockMode;
  /** completed; holiday (nothing ran); halted (ended HALTED). */
  readonly status: DayEndStatus;
  readonly reason: string | null;
  readonly finalState: TradingState;
  readonly decisions: number;
  readonly trades: number;
  readonly refusals: Readonly<Record<string, number>>;
  readonly refusalCount: number;
  /** Net of costs (rupees). */
  readonly pnl: string;
  readonly grossPnl: string;
  readonly costs: string;
  readonly maxDrawdown: string;
  readonly squaredOff: number;
  readonly reconciliationClean: boolean | null;
  readonly openPositionsAtClose: number;
  /** Structures closed during the day and their gross P&L figures (before costs). */
  readonly closedStructures?: number;
  readonly winners?: number;
  readonly losers?: number;
  /** Winners / closed structures (4 decimals), null when none closed. */
  readonly winRate?: number | null;
  readonly averageWinner?: string | null;
  readonly averageLoser?: string | null;
  /** Exits taken by rule. */
  readonly exits?: Readonly<Record<string, number>>;
  /** Orders of the day still working at the close, and cancelled then. */
  readonly cancelledAtClose?: number;
  readonly models?: readonly ModelPin[];
}

/** What the weekday schedule starts: it opens today's (IST) day under the business key. */
export interface ScheduledDayInput {
  readonly tenantId: number;
  readonly cadenceMinutes?: number;
}

export interface ScheduledDayResult {
  readonly workflowId: string;
  readonly date: string;
  /** started; already_started (a repeated start is a no-op). */
  readonly outcome: 'started' | 'already_started';
}

const update = <Ret, Args extends unknown[], Name extends string>(name: Name) =>
  ({ type: 'update', name }) as UpdateDefinition<Ret, Args, Name>;

export const pauseDayUpdate = update<DayStatus, [DayRequestMeta], 'pause'>('pause');
export const resumeDayUpdate = update<DayStatus, [DayRequestMeta], 'resume'>('resume');
export const reduceDayUpdate = update<DayStatus, [DayRequestMeta], 'reduce'>('reduce');
export const haltDayUpdate = update<DayStatus, [DayRequestMeta], 'halt'>('halt');
/** Answers once the flatten's OrderPlacement has finished. */
export const flattenDayUpdate = update<DayStatus, [DayRequestMeta], 'flatten'>('flatten');
export const setCadenceUpdate = update<DayStatus, [SetCadenceRequest], 'setCadence'>('setCadence');

export const dayStatusQuery = { type: 'query', name: 'status' } as QueryDefinition<DayStatus, [], 'status'>;

/** The updates by CLI verb. */
export const DAY_UPDATES = {
  pause: pauseDayUpdate,
  resume: resumeDayUpdate,
  reduce: reduceDayUpdate,
  halt: haltDayUpdate,
  flatten: flattenDayUpdate,
} as const;
