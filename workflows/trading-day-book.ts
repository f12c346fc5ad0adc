/**
 * What TradingDay holds and how it lets go of it: the book marked to market, placements through
 * OrderPlacement children (entries `open`, everything else `close`, which passes the gate under
 * a kill switch), the structures entered and the exit rules applied to them every tick, closing
 * the whole book (flatten, square-off, the daily loss guard) and the day's working orders
 * cancelled at the close.
 */
import { executeChild, ParentClosePolicy, patched, proxyActivities } from '@temporalio/workflow';
import type { BrokerActivities } from '../activities/broker-calls';
import type { TradingDayActivities } from '../activities/trading-day';
import {
  orderPlacementWorkflowId,
  type OrderIntentKind,
  type OrderLeg,
  type OrderPlacementResult,
} from '../contracts/orders';
import { TASK_QUEUES } from '../contracts/task-queues';
import type { WorkflowSignatures } from '../contracts/workflows';
import { lotSize, type Instrument } from '../domain/instruments';
import { dec, rupees } from '../domain/money';
import { DEFAULT_TENANT_LIMITS } from '../domain/decision/limits';
import {
  countInto,
  dailyLossBreach,
  exitDue,
  exitRuleFor,
  mayExit,
  structurePnl,
  type OpenStructure,
} from '../domain/trading-day';
import { BROKER_RETRY, databaseActivityOptions, MONEY_BUDGET } from './retry-budgets';
import type { DayRun } from './trading-day-state';

/** Exit rules run every tick from this patch on; histories recorded before it never evaluated them. */
export const EXIT_RULES_PATCH = 'trading-day-exit-rules';
/** A day whose P&L reaches −(daily loss limit) closes its book and goes reduce-only from this patch on. */
export const LOSS_GUARD_PATCH = 'trading-day-daily-loss-guard';
/** The close cancels the day's orders still working, before the square-off. */
export const CANCEL_WORKING_PATCH = 'trading-day-cancel-working';

const acts = proxyActivities<TradingDayActivities>(databaseActivityOptions());

/** The book marked now; the day's P&L is its value against the opening value. */
export async function mark(day: DayRun): Promise<void> {
  const b = await acts.markBook({ tenantId: day.input.tenantId });
  day.set({ positions: b.positions, pnl: rupees(dec(b.value).minus(day.c.openingValue)) });
}

export async function place(
  day: DayRun,
  decisionId: string,
  structure: string,
  instrument: Instrument,
  lots: number,
  legs: OrderLeg[],
  intent: OrderIntentKind,
): Promise<OrderPlacementResult> {
  const { tenantId, date, orderOptions } = day.input;
  const brokerTaskQueue = brokerQueueOf(day);
  day.set({ placementIds: [...day.c.placementIds, decisionId] });
  return executeChild<WorkflowSignatures['orderPlacement']>('orderPlacement', {
    workflowId: orderPlacementWorkflowId(tenantId, decisionId),
    args: [
      {
        tenantId,
        decisionId,
        structure,
        instrument,
        tradingDate: date,
        lots,
        legs,
        intent,
        ...(brokerTaskQueue ? { brokerTaskQueue } : {}),
        ...(orderOptions ? { options: orderOptions } : {}),
      },
    ],
    // A placement in flight finishes its saga even if the day above it is terminated.
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}

/**
 * Average fill price by symbol of a placement's filled orders (its own legs, not unwinds): a leg
 * sliced at the freeze quantity fills as several child orders, averaged by quantity.
 */
function fillPrices(r: OrderPlacementResult): Record<string, string> {
  const fills = new Map<string, Array<{ quantity: number; price: string }>>();
  for (const l of r.legs)
    if (l.purpose === 'entry' && l.filledQuantity > 0 && l.averagePrice)
      fills.set(l.tradingsymbol, [
        ...(fills.get(l.tradingsymbol) ?? []),
        { quantity: l.filledQuantity, price: l.averagePrice },
      ]);
  const out: Record<string, string> = {};
  for (const [symbol, f] of fills) {
    if (f.length === 1) out[symbol] = f[0]!.price;
    else {
      const units = f.reduce((n, x) => n + x.quantity, 0);
      const notional = f.reduce((sum, x) => sum.plus(dec(x.price).times(x.quantity)), dec(0));
      out[symbol] = notional.dividedBy(units).toDecimalPlaces(4).toString();
    }
  }
  return out;
}

/** A filled entry becomes a structure the exit rules watch, at its fill prices. */
export function holdEntry(
  day: DayRun,
  r: OrderPlacementResult,
  entry: { structure: string; instrument: Instrument; lots: number; legs: readonly OrderLeg[] },
): void {
  const filled = r.legs.filter((l) => l.purpose === 'entry' && l.filledQuantity > 0 && l.averagePrice);
  if (filled.length === 0) return;
  const held: OpenStructure = {
    decisionId: r.decisionId,
    structure: entry.structure,
    instrument: entry.instrument,
    lots: entry.lots,
    openedMinute: day.minute,
    nearestExpiry: entry.legs.map((l) => l.expiry).reduce((a, b) => (b < a ? b : a)),
    legs: filled.map((l) => ({
      tradingsymbol: l.tradingsymbol,
      side: l.side,
      quantity: l.filledQuantity,
      price: l.averagePrice!,
    })),
  };
  day.set({ openStructures: [...day.c.openStructures, held] });
}

const markPrices = (day: DayRun): Record<string, string | null> =>
  Object.fromEntries(day.c.positions.map((p) => [p.tradingsymbol, p.mark]));

/** Closed structures leave the watch list; their P&L at the closing prices counts for the win rate. */
function settle(day: DayRun, closed: readonly OpenStructure[], prices: Record<string, string | null>): void {
  const pnls = closed.map((s) => structurePnl(s, prices)).filter((p): p is string => p !== null);
  const gone = new Set(closed.map((s) => s.decisionId));
  day.set({
    openStructures: day.c.openStructures.filter((s) => !gone.has(s.decisionId)),
    closedPnls: [...day.c.closedPnls, ...pnls],
  });
}

/**
 * Every open structure whose exit rule fires at this minute is closed through OrderPlacement
 * (`close`), one at a time, under `<entry decision>-exit`. An exit that does not fill is not
 * tried again: the structure stays for the square-off (or a flatten), and the refusals say so.
 */
export async function applyExits(day: DayRun, minute: number): Promise<void> {
  if (day.c.openStructures.length === 0 || !patched(EXIT_RULES_PATCH)) return;
  const { tenantId, date } = day.input;
  let exited = false;
  for (const s of day.c.openStructures) {
    if (!mayExit(day.control)) break;
    if (s.exitTried) continue;
    const marks = markPrices(day);
    const verdict = exitDue(s, exitRuleFor(s.structure, day.input.exitRules), { date, minute }, marks);
    if (!verdict) continue;
    const { legs } = await acts.exitLegs({ tenantId, legs: s.legs });
    exited = true;
    if (legs.length === 0) {
      // Nothing of it is left in the book (closed from outside): it leaves the watch list.
      settle(day, [s], marks);
      continue;
    }
    const r = await place(day, `${s.decisionId}-exit`, s.structure, s.instrument, s.lots, legs, 'close');
    if (r.status === 'filled') {
      day.set({ exits: countInto(day.c.exits, verdict.reason) });
      settle(day, [s], { ...marks, ...fillPrices(r) });
    } else {
      day.refuse(`exit:${r.status}`);
      day.set({
        openStructures: day.c.openStructures.map((o) =>
          o.decisionId === s.decisionId ? { ...o, exitTried: true } : o,
        ),
      });
    }
  }
  if (exited) await mark(day);
}

/**
 * The daily loss guard: the book marked at or below −(the tenant's daily loss limit) is closed
 * through OrderPlacement and the day goes reduce-only (audited as the system's change). Not while
 * HALTED or paused: an operator holds the book then.
 */
export async function guardDailyLoss(day: DayRun): Promise<void> {
  if (day.c.positions.length === 0 || !mayExit(day.control)) return;
  const why = dailyLossBreach(day.c.pnl, day.c.maxDailyLoss ?? DEFAULT_TENANT_LIMITS.maxDailyLoss);
  if (!why || !patched(LOSS_GUARD_PATCH)) return;
  if (day.c.state === 'ACTIVE') await day.change({ kind: 'reduce' }, { by: 'system:daily-loss-guard', reason: why });
  await closeBook(day, `loss-guard-${day.minute}`);
}

/** Close every open position through OrderPlacement (opposite legs); how many legs it sent. */
export async function closeBook(day: DayRun, label: string): Promise<number> {
  const { tenantId, date } = day.input;
  const before = markPrices(day);
  let prices: Record<string, string> = {};
  let sent = 0;
  // A second try when the first did not leave the book flat (a leg cancelled on its fill timeout).
  for (let attempt = 1; attempt <= 2; attempt++) {
    const { legs, instrument } = await acts.squareOffLegs({ tenantId });
    if (legs.length === 0 || !instrument) break;
    const lots = Math.max(1, Math.round(Math.max(...legs.map((l) => l.quantity)) / lotSize(instrument, date)));
    const r = await place(day, `day-${date}-${label}-${attempt}`, 'SQUARE_OFF', instrument, lots, legs, 'close');
    prices = { ...prices, ...fillPrices(r) };
    sent += legs.length;
  }
  await mark(day);
  // Structures none of whose symbols is still held are closed, at the closing fills (else the last marks).
  const held = new Set(day.c.positions.map((p) => p.tradingsymbol));
  const closed = day.c.openStructures.filter((s) => s.legs.every((l) => !held.has(l.tradingsymbol)));
  settle(day, closed, { ...before, ...prices });
  return sent;
}

/** The input's queue if given, else the tenant's own as looked up at the open, else the shared one (undefined). */
function brokerQueueOf(day: DayRun): string | undefined {
  return day.input.brokerTaskQueue ?? day.c.brokerTaskQueue;
}

/** At the close: the day's orders still working at the broker are cancelled (how many were). */
export async function cancelWorking(day: DayRun): Promise<number> {
  if (!patched(CANCEL_WORKING_PATCH)) return 0;
  const { tenantId } = day.input;
  const brokerTaskQueue = brokerQueueOf(day);
  const working = await acts.workingOrders({ tenantId, decisionIds: [...day.c.placementIds] });
  if (working.length === 0) return 0;
  const broker = proxyActivities<BrokerActivities>({
    taskQueue: brokerTaskQueue ?? TASK_QUEUES.broker,
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: MONEY_BUDGET,
    retry: BROKER_RETRY,
  });
  for (const o of working) await broker.cancelOrder({ tenantId, tag: o.tag, brokerOrderId: o.brokerOrderId });
  return working.length;
}
