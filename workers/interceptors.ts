/**
 * Worker interceptors that count what activities do, without touching the activities: every
 * activity's latency and outcome by type (qs_activity_duration_seconds), and the business
 * metrics read off a few activities' inputs and results — orders placed/rejected/denied and
 * filled (placeOrder, placeLegs; a structure's reconciliation verdict too), decisions by
 * outcome with the walls and cost reasons that refused them and the decision latency (decide,
 * counted once per new decision), trades recorded by status (recordTrade, or placeLegs), Telegram deliveries
 * by outcome (deliverNotification). Metrics go to
 * prom-client's default registry, which a worker's /metrics serves. Labels are code-defined
 * names (activity types, outcomes, walls, reason codes), never ids. With tracing on, the
 * OpenTelemetry interceptors too.
 */
import type { ActivityInterceptorsFactory, InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import { CancelledFailure } from '@temporalio/common';
import { Counter, Histogram, register } from 'prom-client';
import type { DecideResult } from '../activities/decide';
import type { PlaceOrderResult } from '../activities/broker-calls';
import type { PlaceLegsResult } from '../activities/structure-placement';
import { tracingClientInterceptors, type Tracing } from '../runtime/tracing';
import {
  costRejections,
  decisionLatency,
  gateFirings,
  orderOutcomes,
  reconciliationVerdicts,
} from '../runtime/business-metrics';

const once = <T>(name: string, make: () => T): T => (register.getSingleMetric(name) as T | undefined) ?? make();

export const activityDuration = once(
  'qs_activity_duration_seconds',
  () =>
    new Histogram({
      name: 'qs_activity_duration_seconds',
      help: 'Activity executions by type and outcome (completed, failed, cancelled), seconds',
      labelNames: ['activity_type', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
);
export const decisionsMade = once(
  'qs_decisions_total',
  () => new Counter({ name: 'qs_decisions_total', help: 'New decisions, by outcome', labelNames: ['outcome'] }),
);
export const tradesRecorded = once(
  'qs_trades_recorded_total',
  () =>
    new Counter({
      name: 'qs_trades_recorded_total',
      help: 'Structures recorded as trades, by status (filled, unwound, cancelled, rejected)',
      labelNames: ['status'],
    }),
);

export const notificationDeliveries = once(
  'qs_notification_deliveries_total',
  () =>
    new Counter({
      name: 'qs_notification_deliveries_total',
      help: 'Telegram deliveries by outcome (sent, refused, failed, unconfirmed, in_flight)',
      labelNames: ['outcome'],
    }),
);

/** A label value from data: a short code-like word, anything else is "other" (bounded sets). */
const label = (v: unknown): string => (typeof v === 'string' && /^[A-Za-z0-9_.-]{1,40}$/.test(v) ? v : 'other');

type Recorder = (args: readonly unknown[], result: unknown, seconds: number) => void;

/** What a completed activity of these types adds to the business metrics. */
const RECORDERS: Record<string, Recorder> = {
  placeOrder: (_args, result) => orderOutcomes.inc({ outcome: label((result as PlaceOrderResult)?.outcome) }),
  // A structure placed, watched and reconciled in one activity (it calls placeOrder in-process).
  placeLegs: (_args, result) => {
    const r = result as Partial<PlaceLegsResult> | undefined;
    for (const reply of r?.replies ?? []) orderOutcomes.inc({ outcome: label(reply.outcome) });
    for (const view of r?.views ?? []) if (view.status === 'FILLED') orderOutcomes.inc({ outcome: 'filled' });
    if (r?.reconciliation)
      reconciliationVerdicts.inc({ verdict: r.reconciliation.clean ? 'clean' : 'mismatch', trigger: 'placement' });
    if (r?.trade) tradesRecorded.inc({ status: 'filled' }); // recorded inside it (recordTrade's count otherwise)
  },
  decide: (_args, result, seconds) => {
    const r = result as Partial<DecideResult> | undefined;
    if (!r?.decision || r.created === false) return; // a repeated decide returns the stored decision
    const d = r.decision;
    decisionsMade.inc({ outcome: label(d.status) });
    decisionLatency.observe(seconds);
    for (const g of d.gates ?? []) if (!g.pass) gateFirings.inc({ wall: label(g.wall) });
    for (const reason of d.reasons ?? [])
      if (reason.source === 'costs') costRejections.inc({ reason: label(reason.code) });
  },
  deliverNotification: (_args, result) => notificationDeliveries.inc({ outcome: label(result) }),
  recordTrade: (args) => tradesRecorded.inc({ status: label((args[0] as { status?: unknown })?.status) }),
};

const metricsInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const type = ctx.info.activityType;
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const result = await next(input);
        const s = seconds();
        activityDuration.observe({ activity_type: type, outcome: 'completed' }, s);
        try {
          RECORDERS[type]?.(input.args, result, s);
        } catch {
          // a result of an unexpected shape is not worth failing the activity over
        }
        return result;
      } catch (err) {
        const outcome = err instanceof CancelledFailure ? 'cancelled' : 'failed';
        activityDuration.observe({ activity_type: type, outcome }, seconds());
        throw err;
      }
    },
  },
});

/**
 * Every worker's interceptors (workers/bootstrap.ts; tests pass the same). With tracing: a span
 * per workflow (its interceptors are bundled with the workflow code, so a worker given a
 * pre-built bundle traces activities only) and per activity, children of the caller's span.
 */
export function workerInterceptors(tracing?: Tracing): WorkerInterceptors {
  if (!tracing) return { activity: [metricsInterceptor] };
  const options = { tracer: tracing.tracer };
  return {
    activity: [
      metricsInterceptor,
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx, options),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    client: tracingClientInterceptors(tracing),
  };
}

/** The sink workflow spans leave the sandbox through (tracing only). */
export function workerSinks(tracing?: Tracing): InjectedSinks<Record<string, never>> | undefined {
  return tracing ? ({ exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) } as never) : undefined;
}
