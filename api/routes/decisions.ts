/**
 * Decisions: the list (paged, by date and outcome), one decision with its whole why and its
 * provenance chain (decision → trades → orders → fills, with the workflow and run ids and a link
 * to the Web UI), and decide on demand. Decide runs the decision engine's one code path (the
 * decide activity, as `qs decide` runs it) in this process on the models it serves, idempotent on
 * the client's key: the decision id is `api:<key>`, so a repeated key returns the stored decision.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Router } from 'express';
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import { createDecider, decisionView, registryModelSource } from '../../activities/decide';
import { decisionById } from '../../db/decisions';
import { decisionTradeIds, listDecisions, type DecisionListRow } from '../../db/decision-list';
import { tradeProvenance } from '../../db/provenance';
import { withTenant } from '../../db/tenant';
import { isMarketOpen } from '../../domain/calendar';
import { decisionOutcome, type Decision } from '../../domain/decision';
import { INSTRUMENTS } from '../../domain/instruments';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ANY_ROLE } from '../roles';
import { ApiProblem, notFound } from '../problem';
import type { TenantDeps } from './tenant';

const isoDate = z.iso.date('expected a date YYYY-MM-DD');

/** The simulator seed of the market decide sees (as `qs decide --seed`). */
export const simulatorSeed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .default(7);
export const DECISION_STATUSES = ['trade', 'abstain', 'refused'] as const;

const listQuery = z
  .strictObject({
    from: isoDate.optional(),
    to: isoDate.optional(),
    outcome: z.enum(DECISION_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** The `next` of the previous page. */
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from is after to', path: ['from'] });

const cursorShape = z.strictObject({ at: z.string().regex(/^\d{4}-\d{2}-\d{2} [\d:.+-]+$/), id: z.string().max(100) });

const encodeCursor = (r: DecisionListRow) =>
  Buffer.from(JSON.stringify({ at: r.cursorAt, id: r.id })).toString('base64url');
function decodeCursor(raw: string): { at: string; id: string } {
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
  } catch {
    throw new ApiProblem(400, 'bad_request', 'query.cursor: not a cursor this API issued', [
      { field: 'query.cursor', message: 'not a cursor this API issued' },
    ]);
  }
}

/** Decision ids as the engine and the CLI accept them. */
const decisionId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/, "1–80 letters, digits, '.', '_', ':' or '-'");

const decideBody = z.strictObject({
  /** Idempotency key: the same key returns the same decision. */
  key: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1–64 letters, digits, '.', '_' or '-'"),
  at: z.iso
    .datetime({ offset: true, message: 'expected an ISO time such as 2026-03-10T11:00:00+05:30' })
    // An unparseable time is reported by the format check above.
    .refine((t) => Number.isNaN(Date.parse(t)) || isMarketOpen(Date.parse(t)), 'not inside an NSE trading session')
    .optional(),
  seed: simulatorSeed,
  instrument: z.enum(INSTRUMENTS).default('NIFTY'),
});

const summary = (r: DecisionListRow) => {
  const { cursorAt: _cursor, ...row } = r;
  return row;
};

export function decisionRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  // Who asked, recorded as the decision's "workflow": an API decision has no workflow run.
  const caller = new AsyncLocalStorage<{ workflowId: string; runId: string }>();
  const engine = createDecider({
    pool: deps.pool,
    models: deps.models ?? registryModelSource(deps.pool),
    workflow: () => caller.getStore() ?? { workflowId: 'api', runId: 'api' },
  });
  const link = (workflowId: string, runId: string) =>
    deps.temporalUiUrl && !['api', 'direct'].includes(workflowId)
      ? `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/` +
        `${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`
      : null;
  const path = `${TENANT_PREFIX}/decisions`;

  table.add(
    router,
    {
      method: 'get',
      path,
      summary: 'Decisions, newest first: filter by trading date (from, to) and outcome; page with cursor',
      tag: 'decisions',
      access: ANY_ROLE,
      query: listQuery,
    },
    async ({ tenant, query }) => {
      const rows = await withTenant(deps.pool, tenant!.id, (tx) =>
        listDecisions(tx, {
          from: query.from,
          to: query.to,
          status: query.outcome,
          before: query.cursor ? decodeCursor(query.cursor) : undefined,
          limit: query.limit,
        }),
      );
      const next = rows.length === query.limit ? encodeCursor(rows[rows.length - 1]) : null;
      return { decisions: rows.map(summary), next };
    },
  );

  table.add(
    router,
    {
      method: 'get',
      path: `${path}/:id`,
      summary: 'One decision: its whole why and its provenance (trades → orders → fills, workflow and run ids)',
      tag: 'decisions',
      access: ANY_ROLE,
      params: z.strictObject({ id: decisionId }),
    },
    async ({ tenant, params }) => {
      const row = await withTenant(deps.pool, tenant!.id, (tx) => decisionById(tx, params.id));
      if (!row) throw notFound();
      const tradeIds = await withTenant(deps.pool, tenant!.id, (tx) => decisionTradeIds(tx, params.id));
      const trades = [];
      for (const id of tradeIds) trades.push(await tradeProvenance(deps.pool, tenant!.id, id));
      return {
        decision: {
          ...decisionView(row.why as Decision),
          tradingDate: row.tradingDate,
          createdAt: row.createdAt,
          workflowId: row.workflowId,
          runId: row.runId,
          workflowUrl: link(row.workflowId, row.runId),
        },
        provenance: {
          trades: trades.filter((t) => t !== null).map((t) => ({ ...t, workflowUrl: link(t.workflowId, t.runId) })),
        },
      };
    },
  );

  table.add(
    router,
    {
      method: 'post',
      path,
      summary:
        'Decide now on a simulated snapshot (the decide activity, idempotent on key: a repeated key answers 200 ' +
        'with the stored decision); 600 per hour per tenant',
      tag: 'decisions',
      access: ANY_ROLE,
      body: decideBody,
      status: 201,
      errors: [409],
      rateLimit: 'decide',
    },
    async ({ tenant, session, body, res }) => {
      const at = body.at ?? new Date().toISOString();
      if (!body.at && !isMarketOpen(Date.parse(at)))
        throw new ApiProblem(409, 'market_closed', 'the market is closed now: give `at`, a time inside a session', [
          { field: 'body.at', message: 'required outside NSE trading hours' },
        ]);
      const id = `api:${body.key}`;
      const who = { workflowId: `api:user/${session!.userId}`, runId: id };
      const result = await caller
        .run(who, () =>
          engine.run({ tenantId: tenant!.id, decisionId: id, at, seed: body.seed, instrument: body.instrument }),
        )
        .catch((e: unknown) => {
          if (e instanceof ApplicationFailure && e.nonRetryable)
            throw e.type === 'BadDecisionInput'
              ? new ApiProblem(400, 'bad_request', e.message)
              : new ApiProblem(409, 'model_not_served', e.message);
          throw e;
        });
      const d = result.decision;
      if (!result.created && (d.instrument !== body.instrument || (body.at && Date.parse(d.at) !== Date.parse(at))))
        throw new ApiProblem(
          409,
          'key_reused',
          `key ${body.key} was used for another request (${d.instrument} at ${d.at})`,
        );
      // A replay of the key is 200, a new decision 201 (answered here: the table would send 201).
      // The outcome (status, structure, legs, walls with the failing ones' numbers, models); the whole why is
      // GET decisions/:id, so a burst of decides does not serialise every factor and candidate.
      res.status(result.created ? 201 : 200).json({ created: result.created, decision: decisionOutcome(d) });
    },
  );
}
