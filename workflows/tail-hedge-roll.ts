/**
 * TailHedgeRoll: keeps a tenant's permanent ~5-delta put hedge, rolling it a few trading days
 * before expiry.
 *
 * scheduledHedgeRoll is what the tenant's daily Schedule (or `qs hedge roll`) starts: on a
 * trading day it plans (settings, held protective puts, the chain, the year's budget) and, when
 * a roll is due and affordable, runs tailHedgeRoll as a child under the business key
 * `hedge-roll/<tenant>/<expiry bought>`, so a rerun or a second firing finds it instead of
 * placing again. tailHedgeRoll buys the new put first through a child OrderPlacement and sells
 * the old ones only once it has filled: the tenant is never unhedged in between (over-hedged
 * for a moment instead). Placement ids derive from (tenant, expiry, leg), so a restarted
 * worker or a new run of the roll finds the orders it already placed.
 */
import {
  executeChild,
  ParentClosePolicy,
  patched,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { HedgingActivities, HedgeOutcomeInput } from '../activities/hedging';
import {
  HEDGE_STRUCTURE,
  hedgeDecisionId,
  hedgeRollWorkflowId,
  type HedgeCheckInput,
  type HedgePut,
  type HedgeRollResult,
  type PlannedHedgeOrder,
  type TailHedgeRollInput,
} from '../contracts/hedge';
import { orderPlacementWorkflowId, type OrderPlacementResult } from '../contracts/orders';
import { TenantId, TradingDate } from '../contracts/search-attributes';
import type { WorkflowSignatures } from '../contracts/workflows';
import { isTradingDay } from '../domain/calendar';
import { istParts } from '../domain/dates';
import { dec, rupees } from '../domain/money';
import { databaseActivityOptions } from './retry-budgets';

const hedging = proxyActivities<HedgingActivities>(databaseActivityOptions());

/** From this patch on, the placements' broker calls go to the tenant's own broker queue when it has one. */
export const HEDGE_BROKER_QUEUE_PATCH = 'hedge-roll-broker-queue';

async function place(
  input: TailHedgeRollInput,
  leg: 'buy' | `sell${number}`,
  order: PlannedHedgeOrder,
): Promise<OrderPlacementResult> {
  const decisionId = hedgeDecisionId(input.tenantId, input.expiry, leg);
  return executeChild<WorkflowSignatures['orderPlacement']>('orderPlacement', {
    workflowId: orderPlacementWorkflowId(input.tenantId, decisionId),
    args: [
      {
        tenantId: input.tenantId,
        decisionId,
        structure: HEDGE_STRUCTURE,
        instrument: input.instrument,
        tradingDate: input.tradingDate,
        lots: order.put.lots,
        legs: [order.leg],
        ...(input.brokerTaskQueue && patched(HEDGE_BROKER_QUEUE_PATCH)
          ? { brokerTaskQueue: input.brokerTaskQueue }
          : {}),
        ...(input.options ? { options: input.options } : {}),
      },
    ],
    // A placement in flight finishes its saga even if the roll above it is terminated.
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}

/** The put as it filled (average price and premium of what the broker reported). */
function filled(put: HedgePut, r: OrderPlacementResult): HedgePut {
  const entry = r.legs.find((l) => l.purpose === 'entry' && l.filledQuantity > 0);
  if (!entry?.averagePrice) return put;
  return {
    ...put,
    quantity: entry.filledQuantity,
    price: entry.averagePrice,
    premium: rupees(dec(entry.averagePrice).times(entry.filledQuantity)),
  };
}

export async function tailHedgeRoll(input: TailHedgeRollInput): Promise<HedgeRollResult> {
  upsertSearchAttributes([
    { key: TenantId, value: String(input.tenantId) },
    { key: TradingDate, value: input.tradingDate },
  ]);
  const rollWorkflowId = workflowInfo().workflowId;
  const placements: Array<HedgeRollResult['placements'][number]> = [];
  const result = (status: HedgeRollResult['status'], reason: string, bought: HedgePut | null, sold: HedgePut[]) =>
    ({
      tenantId: input.tenantId,
      date: input.tradingDate,
      status,
      reason,
      rollWorkflowId,
      bought,
      sold,
      placements,
      budget: input.budget,
    }) satisfies HedgeRollResult;
  const record = (event: HedgeOutcomeInput['event'], r: HedgeRollResult) =>
    hedging.recordHedgeOutcome({
      tenantId: input.tenantId,
      key: rollWorkflowId,
      event,
      payload: { workflowId: rollWorkflowId, status: r.status, reason: r.reason, bought: r.bought, sold: r.sold },
    });

  // Buy first: until the new put has filled, the old one stays where it is.
  const buy = await place(input, 'buy', input.buy);
  placements.push({ workflowId: buy.workflowId, side: 'BUY', status: buy.status });
  if (buy.status !== 'filled') {
    const r = result(
      'buy_failed',
      `the new put did not fill (${buy.status}: ${buy.reason ?? ''}); kept the old hedge`,
      null,
      [],
    );
    await record('hedge.buy_failed', r);
    return r;
  }
  const bought = filled(input.buy.put, buy);

  const sold: HedgePut[] = [];
  const unsold: string[] = [];
  for (const [i, order] of input.sell.entries()) {
    const sell = await place(input, `sell${i}`, order);
    placements.push({ workflowId: sell.workflowId, side: 'SELL', status: sell.status });
    if (sell.status === 'filled') sold.push(filled(order.put, sell));
    else unsold.push(`${order.put.tradingsymbol} (${sell.status}: ${sell.reason ?? ''})`);
  }
  const r =
    unsold.length > 0
      ? result('sell_failed', `bought ${bought.tradingsymbol}; not sold: ${unsold.join(', ')}`, bought, sold)
      : input.sell.length === 0
        ? result('bought', `bought the first hedge ${bought.tradingsymbol}`, bought, sold)
        : result(
            'rolled',
            `bought ${bought.tradingsymbol}, then sold ${sold.map((s) => s.tradingsymbol).join(', ')}`,
            bought,
            sold,
          );
  await record(
    r.status === 'rolled' ? 'hedge.rolled' : r.status === 'bought' ? 'hedge.bought' : 'hedge.sell_failed',
    r,
  );
  return r;
}

export async function scheduledHedgeRoll(input: HedgeCheckInput): Promise<HedgeRollResult> {
  const date = input.date ?? istParts(workflowInfo().startTime.getTime()).date;
  upsertSearchAttributes([
    { key: TenantId, value: String(input.tenantId) },
    { key: TradingDate, value: date },
  ]);
  const outcome = (status: HedgeRollResult['status'], reason: string, extra: Partial<HedgeRollResult> = {}) =>
    ({
      tenantId: input.tenantId,
      date,
      status,
      reason,
      rollWorkflowId: null,
      bought: null,
      sold: [],
      placements: [],
      budget: null,
      ...extra,
    }) satisfies HedgeRollResult;
  if (!isTradingDay(date)) return outcome('not_trading_day', `${date} is not an NSE trading day`);

  const plan = await hedging.planHedgeRoll({ tenantId: input.tenantId, date });
  if (!('roll' in plan)) return outcome(plan.action === 'disabled' ? 'disabled' : 'nothing_to_do', plan.reason);

  const rollWorkflowId = hedgeRollWorkflowId(input.tenantId, plan.roll.expiry);
  if (plan.action === 'refused') {
    const r = outcome('refused', plan.reason, { rollWorkflowId, budget: plan.roll.budget });
    await hedging.recordHedgeOutcome({
      tenantId: input.tenantId,
      key: `${rollWorkflowId}@${date}`,
      event: 'hedge.refused',
      payload: { workflowId: workflowInfo().workflowId, reason: r.reason, budget: r.budget, wanted: plan.roll.buy.put },
    });
    return r;
  }
  try {
    return await executeChild<WorkflowSignatures['tailHedgeRoll']>('tailHedgeRoll', {
      workflowId: rollWorkflowId,
      args: [{ ...plan.roll, ...(input.options ? { options: input.options } : {}) }],
      // A roll that failed may be tried again; one that completed (or is running) is never repeated.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return outcome('already_rolled', `the roll into ${plan.roll.expiry} was already started (${rollWorkflowId})`, {
      rollWorkflowId,
    });
  }
}
