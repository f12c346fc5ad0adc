/**
 * Persona simulation runs of the tenant (PersonaSimulation, workflow id personas/<tenant>/<run>):
 * list, start (a run is named by what decides its trades, so the same request again reruns it and
 * writes nothing new), and one run's status with its result once it has finished. Starting one is
 * an operator's call; the runs' synthetic trades stay the tenant's.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { personaSimulationWorkflowId, simulationIdFor, type PersonaSimulationInput } from '../../contracts/personas';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { syntheticTradeCounts } from '../../db/synthetic-trades';
import { withTenant } from '../../db/tenant';
import { tradingDaysBetween } from '../../domain/calendar';
import { HOLIDAY_YEARS } from '../../domain/holidays';
import { INSTRUMENTS } from '../../domain/instruments';
import { checkPersonaDir } from '../../personas/loader';
import { startWorkflow, workflowHandle } from '../../runtime/workflow-client';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ANY_ROLE, OPERATORS } from '../roles';
import { ApiProblem, notFound } from '../problem';
import { tradingDate } from './trading-day';
import type { TenantDeps } from './tenant';

/** The last date the holiday calendar covers: beyond it every weekday would look like a trading day. */
const CALENDAR_END = `${Math.max(...HOLIDAY_YEARS)}-12-31`;

const startBody = z
  .strictObject({
    days: z.number().int().min(1).max(1000),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(7),
    fromDate: tradingDate.default('2025-01-01'),
    instrument: z.enum(INSTRUMENTS).default('NIFTY'),
    personas: z
      .array(z.string().regex(/^P\d{2}$/, 'a persona id such as P05'))
      .min(1)
      .max(20)
      .optional(),
    daysPerRun: z.number().int().min(1).max(1000).default(50),
  })
  .refine((b) => tradingDaysBetween(b.fromDate, CALENDAR_END).length >= b.days, {
    message: `more trading days than the calendar has before ${CALENDAR_END}`,
    path: ['days'],
  });

const runParams = z.strictObject({ simulationId: z.string().regex(/^s\d+-[A-Z]+-\d{4}-\d{2}-\d{2}-\d+d-[0-9a-f]+$/) });

export function personaRunRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const path = `${TENANT_PREFIX}/persona-runs`;
  const tag = 'personas';

  table.add(
    router,
    { method: 'get', path, summary: "The tenant's persona simulation runs, newest first", tag, access: ANY_ROLE },
    async ({ tenant }) => {
      const prefix = personaSimulationWorkflowId(tenant!.id, '');
      const runs = [];
      for await (const w of deps.client.workflow.list({
        query: `WorkflowType = 'personaSimulation' AND WorkflowId STARTS_WITH '${prefix}'`,
        pageSize: 50,
      })) {
        runs.push({
          simulationId: w.workflowId.slice(prefix.length),
          workflowId: w.workflowId,
          runId: w.runId,
          status: w.status.name,
          startTime: w.startTime,
          closeTime: w.closeTime ?? null,
        });
        if (runs.length >= 50) break;
      }
      return { runs };
    },
  );

  table.add(
    router,
    {
      method: 'post',
      path,
      summary: 'Start a persona simulation run (the same request again reruns it and writes nothing new)',
      tag,
      access: OPERATORS,
      body: startBody,
      status: 202,
    },
    async ({ tenant, body }) => {
      const { personas: all, errors } = checkPersonaDir();
      if (errors.length) throw new Error(`persona files: ${errors.map((e) => e.message).join('; ')}`);
      const known = new Map(all.map((p) => [p.spec.persona_id, p.spec]));
      const ids = body.personas ? [...new Set(body.personas)] : [...known.keys()];
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length)
        throw new ApiProblem(400, 'bad_request', `no persona ${unknown.join(', ')}`, [
          { field: 'body.personas', message: `no persona ${unknown.join(', ')}` },
        ]);
      const specs = ids.map((id) => known.get(id)!);
      const { daysPerRun, ...run } = body;
      const simulationId = simulationIdFor({ ...run, personas: specs });
      const input: PersonaSimulationInput = { ...run, simulationId, tenantId: tenant!.id, personas: specs, daysPerRun };
      const workflowId = personaSimulationWorkflowId(tenant!.id, simulationId);
      let status = 'started';
      await startWorkflow(deps.client, 'personaSimulation', {
        taskQueue: TASK_QUEUES.personas,
        workflowId,
        args: [input],
        // A finished run may run again: it writes nothing new and gives the same resultHash.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      }).catch((e: unknown) => {
        if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
        status = 'already running';
      });
      return { simulationId, workflowId, status, personas: ids };
    },
  );

  table.add(
    router,
    {
      method: 'get',
      path: `${path}/:simulationId`,
      summary: 'One run: its status, synthetic trades written per persona, and its result once finished',
      tag,
      access: ANY_ROLE,
      params: runParams,
    },
    async ({ tenant, params }) => {
      const workflowId = personaSimulationWorkflowId(tenant!.id, params.simulationId);
      const handle = workflowHandle(deps.client, 'personaSimulation', workflowId);
      const described = await handle.describe().catch((e: unknown) => {
        if (e instanceof WorkflowNotFoundError) throw notFound();
        throw e;
      });
      const status = described.status.name;
      const result = status === 'COMPLETED' ? await handle.result() : null;
      const trades = await withTenant(deps.pool, tenant!.id, (tx) => syntheticTradeCounts(tx, params.simulationId));
      return {
        simulationId: params.simulationId,
        workflowId,
        runId: described.runId,
        status,
        startTime: described.startTime,
        closeTime: described.closeTime ?? null,
        trades,
        result,
      };
    },
  );
}
