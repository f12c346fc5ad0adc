/**
 * The tenant's TradingDay (workflow id trading-day/<tenantId>/<date>): its status (the workflow's
 * query while it runs, the summary row once it is over), start (a repeated start attaches to the
 * running day), and the controls as the workflow's updates, answering with the status they left.
 * Who may do what: anyone may stop new risk (pause, reduce-only) and resume a pause; lifting a
 * HALTED or reduce-only day, halting, flattening, starting and changing the cadence are an
 * operator's or an admin's call.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { startWorkflow, workflowHandle, workflowRefusal } from '../../runtime/workflow-client';
import { TASK_QUEUES } from '../../contracts/task-queues';
import {
  DAY_UPDATES,
  dayStatusQuery,
  setCadenceUpdate,
  tradingDayWorkflowId,
  type DayStatus,
  type TradingDayInput,
} from '../../contracts/trading-day';
import { tradingDay } from '../../db/trading-days';
import { withTenant } from '../../db/tenant';
import { storableText } from '../../db/text';
import { istParts } from '../../domain/dates';
import { INSTRUMENTS } from '../../domain/instruments';
import { MAX_CADENCE_MINUTES, MIN_CADENCE_MINUTES } from '../../domain/trading-day';
import type { SessionClaims } from '../session';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ANY_ROLE, OPERATORS } from '../roles';
import { ApiProblem, forbidden } from '../problem';
import type { TenantDeps } from './tenant';
import { simulatorSeed } from './decisions';

export const tradingDate = z.iso.date('expected a date YYYY-MM-DD');
const today = () => istParts(Date.now()).date;
const dateQuery = z.strictObject({ date: tradingDate.optional() });
const controlBody = z.strictObject({
  date: tradingDate.optional(),
  reason: storableText(500).trim().min(1).optional(),
});
const cadence = z.number().int().min(MIN_CADENCE_MINUTES).max(MAX_CADENCE_MINUTES);

/** The verbs, who may use them, and what they do (the OpenAPI summary). */
const CONTROLS: Record<keyof typeof DAY_UPDATES, { access: typeof ANY_ROLE; summary: string }> = {
  pause: { access: ANY_ROLE, summary: 'Pause the day: no decisions until resumed' },
  resume: {
    access: ANY_ROLE,
    summary: 'Resume: back to ACTIVE (a trader may resume a pause; lifting HALTED or REDUCING takes an operator)',
  },
  reduce: { access: ANY_ROLE, summary: 'Reduce-only: exits and cancels, no new entries' },
  halt: { access: OPERATORS, summary: 'Halt: nothing new (cancels still go)' },
  flatten: { access: OPERATORS, summary: 'Close every open position now (answers once the flatten has finished)' },
};

const actor = (s: SessionClaims) => `api:user/${s.userId}@tenant/${s.tenantId}`;

/** How long a query or an update may wait for the trading worker (a flatten waits for its orders). */
const QUERY_MS = 5_000;
const UPDATE_MS = 30_000;
const FLATTEN_MS = 120_000;

/** A gRPC status on the error or on the ServiceError's cause. */
const grpcCode = (e: unknown, code: number) =>
  [e, (e as { cause?: unknown }).cause].some((x) => (x as { code?: number } | undefined)?.code === code);
const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;

/** Temporal unable to answer for the day: no worker in time, or the workflow's task failing. */
function unavailable(e: unknown): ApiProblem | null {
  if (grpcCode(e, DEADLINE_EXCEEDED))
    return new ApiProblem(503, 'unavailable', 'the trading worker did not answer in time');
  if (grpcCode(e, FAILED_PRECONDITION))
    return new ApiProblem(503, 'unavailable', 'the trading day cannot answer now (its workflow task is failing)');
  return null;
}

/**
 * Temporal's answers the caller caused, as problem+json: a validator's refusal, a day that is over
 * or never began; no trading worker answering in time is a 503.
 */
async function dayCall<T>(client: Client, workflowId: string, ms: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + ms, fn);
  } catch (e) {
    const down = unavailable(e);
    if (down) throw down;
    const r = await workflowRefusal(client, workflowId, e);
    if (!r) throw e;
    if (r.kind === 'refused') throw new ApiProblem(409, 'refused', r.reason);
    throw r.kind === 'closed'
      ? new ApiProblem(409, 'day_over', `the trading day is over (${r.status})`)
      : new ApiProblem(404, 'not_found', 'no trading day on that date (start it first)');
  }
}

/** The running day's status, or null when none runs (never started, or over). */
export async function liveDayStatus(client: Client, workflowId: string): Promise<DayStatus | null> {
  try {
    return await client.withDeadline(Date.now() + QUERY_MS, () =>
      workflowHandle(client, 'tradingDay', workflowId).query(dayStatusQuery),
    );
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return null;
    const down = unavailable(e);
    if (down) throw down;
    // A closed workflow answers queries too on recent servers; a failed one may not: treat as not running.
    if ((e as Error).name === 'QueryNotRegisteredError') return null;
    throw e;
  }
}

export function tradingDayRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const path = `${TENANT_PREFIX}/trading-day`;
  const day = (tenantId: number, date?: string) => {
    const d = date ?? today();
    return { date: d, workflowId: tradingDayWorkflowId(tenantId, d) };
  };

  table.add(
    router,
    {
      method: 'get',
      path,
      summary: "A trading day (default today, IST): the running workflow's status, or its summary once it is over",
      tag: 'trading-day',
      access: ANY_ROLE,
      query: dateQuery,
    },
    async ({ tenant, query }) => {
      const { date, workflowId } = day(tenant!.id, query.date);
      const [status, summary] = await Promise.all([
        liveDayStatus(deps.client, workflowId),
        withTenant(deps.pool, tenant!.id, (tx) => tradingDay(tx, date)),
      ]);
      if (!status && !summary) throw new ApiProblem(404, 'not_found', `no trading day on ${date}`);
      return { date, workflowId, running: status !== null && !summary, status, summary: summary?.summary ?? null };
    },
  );

  table.add(
    router,
    {
      method: 'post',
      path: `${path}/start`,
      summary: 'Start the trading day (the TradingDay workflow); a repeated start attaches to the running day',
      tag: 'trading-day',
      access: OPERATORS,
      body: z.strictObject({
        date: tradingDate.optional(),
        mode: z.enum(['live', 'accelerated']).default('live'),
        cadenceMinutes: cadence.default(5),
        seed: simulatorSeed,
        instrument: z.enum(INSTRUMENTS).default('NIFTY'),
      }),
      status: 202,
      errors: [409],
    },
    async ({ tenant, body }) => {
      const { date, workflowId } = day(tenant!.id, body.date);
      if (await withTenant(deps.pool, tenant!.id, (tx) => tradingDay(tx, date)))
        throw new ApiProblem(409, 'day_over', `the trading day ${date} is over`);
      const input: TradingDayInput = { tenantId: tenant!.id, date, ...body };
      let attached = false;
      await startWorkflow(deps.client, 'tradingDay', {
        taskQueue: TASK_QUEUES.trading,
        workflowId,
        args: [input],
      }).catch((e: unknown) => {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
        attached = true;
      });
      return { workflowId, date, mode: body.mode, attached };
    },
  );

  for (const [verb, { access, summary }] of Object.entries(CONTROLS) as Array<
    [keyof typeof DAY_UPDATES, (typeof CONTROLS)[keyof typeof DAY_UPDATES]]
  >)
    table.add(
      router,
      {
        method: 'post',
        path: `${path}/${verb}`,
        summary,
        tag: 'trading-day',
        access,
        body: controlBody,
        errors: [409],
      },
      async ({ tenant, session, body }) => {
        const { workflowId } = day(tenant!.id, body.date);
        const handle = workflowHandle(deps.client, 'tradingDay', workflowId);
        if (verb === 'resume' && !OPERATORS.includes(session!.role as (typeof OPERATORS)[number])) {
          // Checked against the status just read; a halt landing in between is then lifted only as
          // a pause would be, which the update's own validator accepts: the window is one round trip.
          const now = await dayCall(deps.client, workflowId, QUERY_MS, () => handle.query(dayStatusQuery));
          if (now.state !== 'ACTIVE')
            throw forbidden(`the day is ${now.state}: only an operator or an admin may lift it`);
        }
        const meta = { by: actor(session!), ...(body.reason ? { reason: body.reason } : {}) };
        const ms = verb === 'flatten' ? FLATTEN_MS : UPDATE_MS;
        return dayCall(deps.client, workflowId, ms, () => handle.executeUpdate(DAY_UPDATES[verb], { args: [meta] }));
      },
    );

  table.add(
    router,
    {
      method: 'post',
      path: `${path}/cadence`,
      summary: 'Minutes of market time between decisions',
      tag: 'trading-day',
      access: OPERATORS,
      body: z.strictObject({ date: tradingDate.optional(), minutes: cadence, reason: controlBody.shape.reason }),
      errors: [409],
    },
    async ({ tenant, session, body }) => {
      const { workflowId } = day(tenant!.id, body.date);
      const meta = { by: actor(session!), minutes: body.minutes, ...(body.reason ? { reason: body.reason } : {}) };
      return dayCall(deps.client, workflowId, UPDATE_MS, () =>
        workflowHandle(deps.client, 'tradingDay', workflowId).executeUpdate(setCadenceUpdate, { args: [meta] }),
      );
    },
  );
}
