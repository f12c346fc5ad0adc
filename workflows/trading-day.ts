/**
 * TradingDay: one tenant's trading day, id `trading-day/<tenant>/<date>` (a repeated start is a
 * no-op). Weekend or NSE holiday → ends at once (`holiday`). Pre-open: a child Reconciliation
 * must come back clean and no tenant-wide kill switch may be set, else the day starts HALTED and
 * says why. Then a decision tick every `cadence` minutes of market time until 15:15 IST: decide,
 * and a `trade` becomes a child OrderPlacement under the decision's business key while the day
 * is ACTIVE and running; the book is marked every tick. At 15:15: square off through
 * OrderPlacement, a final Reconciliation, the day summary row, which is also the result.
 *
 * Clocks: live mode waits for each tick's IST instant with workflow timers; accelerated mode
 * runs the same code with market time advanced by the loop (no waiting) over the paper
 * broker's simulator, whose clock each tick sets to the tick's minute — same seed, same
 * decisions. Operators steer it with updates (trading-day-state.ts); the history is kept short
 * by continue-as-new when Temporal suggests it, carrying the state, after every handler is done.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { TenantId, TradingDate, TradingStateAttr } from '../contracts/search-attributes';
import {
  tradingDayWorkflowId,
  type DaySummary,
  type ScheduledDayInput,
  type ScheduledDayResult,
  type TradingDayInput,
} from '../contracts/trading-day';
import type { WorkflowSignatures } from '../contracts/workflows';
import { istParts } from '../domain/dates';
import { isTradingDay } from '../domain/calendar';
import { nextTickMinute, SQUARE_OFF_MINUTE, tickEpochMs } from '../domain/trading-day';
import {
  alignClock,
  cancelWorking,
  closeBook,
  finalReconciliation,
  mark,
  preOpen,
  summarise,
  tick,
} from './trading-day-steps';
import { DayRun, registerHandlers } from './trading-day-state';

export async function tradingDay(input: TradingDayInput): Promise<DaySummary> {
  const day = new DayRun(input);
  upsertSearchAttributes([
    { key: TenantId, value: String(input.tenantId) },
    { key: TradingDate, value: input.date },
    { key: TradingStateAttr, value: day.c.state },
  ]);
  registerHandlers(day);

  if (!input.carried) {
    if (!isTradingDay(input.date)) {
      day.phase = 'closed';
      return summarise(day, 'holiday', `${input.date} is not an NSE trading day (weekend or exchange holiday)`, null);
    }
    await preOpen(day);
    day.phase = 'open';
  }

  await decisionLoop(day);
  return endOfDay(day);
}

/** Waits until a market instant in live mode, serving flattens meanwhile; accelerated mode never waits. */
async function waitUntil(day: DayRun, minute: number): Promise<'due' | 'flatten'> {
  if (day.mode === 'accelerated') return 'due';
  const wait = tickEpochMs(day.input.date, minute) - Date.now();
  if (wait <= 0) return 'due';
  return (await condition(() => day.control.flattenPending, wait)) ? 'flatten' : 'due';
}

async function flatten(day: DayRun): Promise<void> {
  await closeBook(day, `flatten-${day.c.flattens + 1}`);
  day.set({ flattens: day.c.flattens + 1 });
}

async function decisionLoop(day: DayRun): Promise<void> {
  let ticks = 0;
  for (;;) {
    if (day.control.flattenPending) {
      await flatten(day);
      continue;
    }
    const minute = day.c.nextMinute;
    if (minute === null) return;
    if (workflowInfo().continueAsNewSuggested || (day.input.maxTicksPerRun && ticks >= day.input.maxTicksPerRun)) {
      // A flatten arriving meanwhile is served first: its handler waits for the loop.
      await condition(() => allHandlersFinished() || day.control.flattenPending);
      if (day.control.flattenPending) continue;
      await continueAsNew<typeof tradingDay>({ ...day.input, carried: day.c });
    }
    if ((await waitUntil(day, minute)) === 'flatten') continue;
    if (day.c.paused && day.mode === 'accelerated') {
      // Market time stands still while an accelerated day is paused.
      await condition(() => !day.c.paused || day.control.flattenPending);
      continue;
    }
    day.minute = minute;
    // A paused live day lets its ticks pass without deciding.
    if (!day.c.paused) await tick(day, minute);
    day.set({ nextMinute: nextTickMinute(minute, day.c.cadenceMinutes) });
    ticks++;
  }
}

async function endOfDay(day: DayRun): Promise<DaySummary> {
  while ((await waitUntil(day, SQUARE_OFF_MINUTE)) === 'flatten') await flatten(day);
  day.phase = 'closing';
  day.minute = SQUARE_OFF_MINUTE;
  await alignClock(day, SQUARE_OFF_MINUTE);
  day.cancelledAtClose = await cancelWorking(day);
  day.set({ squaredOff: await closeBook(day, 'squareoff') });
  const clean = await finalReconciliation(day);
  await mark(day);
  const halted = day.c.state === 'HALTED';
  const summary = await summarise(day, halted ? 'halted' : 'completed', day.c.stateReason, clean);
  day.phase = 'closed';
  await condition(allHandlersFinished);
  return summary;
}

/**
 * The weekday 09:00 IST schedule's action: a schedule's arguments are fixed, so this opens
 * today's (IST, from workflow time) day under its business key and leaves it running.
 */
export async function scheduledTradingDay(input: ScheduledDayInput): Promise<ScheduledDayResult> {
  const date = istParts(Date.now()).date;
  const workflowId = tradingDayWorkflowId(input.tenantId, date);
  try {
    await startChild<WorkflowSignatures['tradingDay']>('tradingDay', {
      workflowId,
      args: [{ tenantId: input.tenantId, date, mode: 'live', cadenceMinutes: input.cadenceMinutes }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return { workflowId, date, outcome: 'started' };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { workflowId, date, outcome: 'already_started' };
  }
}
