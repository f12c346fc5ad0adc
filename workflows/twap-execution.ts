/**
 * TwapExecution: a large structure placed as timed slices (domain/execution's twapSchedule):
 * slice k goes out at start + ⌊k · window / n⌋ as a child OrderPlacement under decision
 * `<decision>-s<k>`, so each slice's broker tags derive from its own business key and a rerun
 * finds the orders it already placed. Slices run their sagas independently; a slice that does
 * not fill stops the rest (capital first: no more of a structure the market is refusing), and
 * the `cancelTwap` update skips every slice not yet started. Workflow id `twap/<tenant>/<decision>`.
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  cancelTwapUpdate,
  twapProgressQuery,
  twapSliceDecisionId,
  type TwapInput,
  type TwapResult,
  type TwapSliceReport,
} from '../contracts/execution';
import { orderPlacementWorkflowId, type OrderPlacementResult } from '../contracts/orders';
import { TenantId, TradingDate } from '../contracts/search-attributes';
import type { WorkflowSignatures } from '../contracts/workflows';
import { twapSchedule, type TwapSchedule } from '../domain/execution';

function schedule(input: TwapInput, startMs: number): TwapSchedule {
  try {
    if (input.startAt !== undefined && !Number.isFinite(Date.parse(input.startAt)))
      throw new RangeError(`startAt: not an ISO instant: ${JSON.stringify(input.startAt)}`);
    return twapSchedule({
      instrument: input.instrument,
      date: input.tradingDate,
      lots: input.lots,
      legQuantities: input.legs.map((l) => l.quantity),
      slices: input.slices,
      startMs,
      windowMs: input.windowMs,
    });
  } catch (err) {
    // Bad input cannot get better on a retry: fail the run, naming the field.
    throw ApplicationFailure.nonRetryable(`TWAP input: ${(err as Error).message}`, 'TwapInputError');
  }
}

export async function twapExecution(input: TwapInput): Promise<TwapResult> {
  upsertSearchAttributes([
    { key: TenantId, value: String(input.tenantId) },
    { key: TradingDate, value: input.tradingDate },
  ]);
  const startMs = input.startAt ? Date.parse(input.startAt) : Date.now();
  const plan = schedule(input, startMs);
  const reports: TwapSliceReport[] = plan.slices.map((s) => {
    const decisionId = twapSliceDecisionId(input.decisionId, s.index);
    return {
      index: s.index,
      decisionId,
      workflowId: orderPlacementWorkflowId(input.tenantId, decisionId),
      lots: s.lots,
      scheduledAt: new Date(s.atMs).toISOString(),
      startedAt: null,
      status: 'skipped',
      reason: null,
    };
  });
  let cancelled: string | null = null;
  let stopped: string | null = null;
  let started = 0;
  const progress = () => ({ cancelled: cancelled !== null, started, total: reports.length, slices: reports });
  setHandler(twapProgressQuery, progress);
  setHandler(cancelTwapUpdate, ({ reason }) => ((cancelled = reason), progress()), {
    validator: ({ reason }) => {
      if (typeof reason !== 'string' || reason.trim() === '') throw new Error('reason: required');
      if (cancelled !== null) throw new Error(`already cancelled: ${cancelled}`);
      if (started === reports.length) throw new Error('every slice has already been started');
    },
  });

  const running: Array<Promise<void>> = [];
  for (const slice of plan.slices) {
    const waitMs = slice.atMs - Date.now();
    if (waitMs > 0) await condition(() => cancelled !== null || stopped !== null, waitMs);
    if (cancelled !== null || stopped !== null) break;
    const k = slice.index;
    const handle = await startChild<WorkflowSignatures['orderPlacement']>('orderPlacement', {
      workflowId: reports[k]!.workflowId,
      args: [
        {
          tenantId: input.tenantId,
          decisionId: reports[k]!.decisionId,
          structure: input.structure,
          instrument: input.instrument,
          tradingDate: input.tradingDate,
          lots: slice.lots,
          legs: input.legs.map((leg, i) => ({ ...leg, quantity: slice.legQuantities[i]! })),
          ...(input.intent ? { intent: input.intent } : {}),
          ...(input.brokerTaskQueue ? { brokerTaskQueue: input.brokerTaskQueue } : {}),
          ...(input.options ? { options: input.options } : {}),
        },
      ],
      // A slice in flight finishes its saga even if the TWAP above it is terminated.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    started++;
    reports[k] = { ...reports[k]!, startedAt: new Date(Date.now()).toISOString(), status: 'running' };
    const settle = (status: TwapSliceReport['status'], reason: string | null) => {
      reports[k] = { ...reports[k]!, status, reason };
      if (status !== 'filled' && stopped === null) stopped = `slice ${k} ${status}: ${reason ?? ''}`.trim();
    };
    running.push(
      handle.result().then(
        (r: OrderPlacementResult) => settle(r.status, r.reason),
        // The placement's own run failed (not a broker outcome): its saga is its own; stop slicing.
        (err: Error) => settle('failed', err.message),
      ),
    );
  }
  await Promise.all(running);
  await condition(allHandlersFinished);

  const lotsFilled = reports.filter((r) => r.status === 'filled').reduce((s, r) => s + r.lots, 0);
  const status = stopped !== null ? 'stopped' : cancelled !== null ? 'cancelled' : 'completed';
  return {
    workflowId: workflowInfo().workflowId,
    tenantId: input.tenantId,
    decisionId: input.decisionId,
    status,
    reason: stopped ?? (cancelled !== null ? `cancelled: ${cancelled}` : null),
    requestedSlices: plan.requestedSlices,
    note: plan.note,
    lotsFilled,
    slices: reports,
  };
}
