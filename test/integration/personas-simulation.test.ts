/**
 * PersonaSimulation on the real Temporal server and Postgres: one child per persona, chunks in
 * activities, continue-as-new; the trades land in synthetic_trades (written as qs_persona);
 * the result equals the pure loop's, trade hash for trade hash; a rerun of the run writes
 * nothing and gives the same resultHash; another seed gives another. `qs personas simulate`
 * twice with the same seed prints the same resultHash. Histories are recorded as fixtures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createPersonaActivities } from '../../activities/personas';
import {
  personaRunWorkflowId,
  personaSimulationWorkflowId,
  simulationIdFor,
  type PersonaSimulationInput,
} from '../../contracts/personas';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { createPool } from '../../db/client';
import { enablePersonaLogin } from '../../db/persona-role';
import { syntheticTradesOf, type SyntheticTradeRow } from '../../db/synthetic-trades';
import { withTenant } from '../../db/tenant';
import { createTenant } from '../../db/tenants';
import { paiseOf } from '../../domain/money';
import type { PersonaTrade } from '../../domain/personas/engine';
import { simulatePersonas, tradeHashStep } from '../../domain/personas/run';
import { loadPersonas } from '../../personas/loader';
import { executeWorkflow } from '../../runtime/workflow-client';
import { testClient, testEnv, testPool, testWorker, uniqueQueue } from '../support/env';
import { HISTORIES_DIR, maybeRecordHistory } from '../support/record-history';

const ROOT = path.join(__dirname, '..', '..');

/** A stored row back to the engine's trade, so the stored trades can be hashed as the engine hashed them. */
function tradeOf(r: SyntheticTradeRow): PersonaTrade {
  const legs = r.legs as Pick<PersonaTrade, 'entry' | 'exit'>;
  return {
    personaId: r.personaId,
    seq: r.seq,
    date: r.tradingDate,
    archetype: r.personaArchetype,
    biasType: r.biasType,
    psychState: r.psychState as PersonaTrade['psychState'],
    knob: r.knob,
    structure: r.structure as PersonaTrade['structure'],
    instrument: r.instrument,
    lots: r.lots,
    hedged: r.hedged,
    futuresLots: r.futuresLots,
    entryMinute: r.entryMinute,
    exitMinute: r.exitMinute,
    exitReason: r.exitReason as PersonaTrade['exitReason'],
    entry: legs.entry,
    exit: legs.exit,
    grossPnlPaise: paiseOf(r.grossPnl)!,
    chargesPaise: paiseOf(r.charges)!,
    netPnlPaise: paiseOf(r.netPnl)!,
  };
}

/** A continued-as-new run's history (maybeRecordHistory takes the latest run only). */
async function maybeRecordRun(client: Client, workflowId: string, runId: string, fixture: string): Promise<void> {
  if (process.env.QS_RECORD_HISTORIES !== '1') return;
  const file = path.join(HISTORIES_DIR, `${fixture}.json`);
  if (fs.existsSync(file)) return;
  fs.writeFileSync(file, historyToJSON(await client.workflow.getHandle(workflowId, runId).fetchHistory()));
}

const pools: Pool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.end())));

/** A pool as the persona worker connects: role qs_persona. */
async function personaPool(): Promise<Pool> {
  const env = testEnv();
  const pool = createPool(await enablePersonaLogin(env.adminUrl, env.appUrl));
  pools.push(pool);
  return pool;
}

describe('PersonaSimulation', () => {
  const all = loadPersonas();
  const pick = (ids: string[]) => all.filter((p) => ids.includes(p.spec.persona_id));

  it('runs a child per persona through continue-as-new, stores the trades once, and equals the pure loop', async () => {
    const app = testPool('app');
    const client = await testClient();
    const pool = await personaPool();
    const tenant = await createTenant(app, { slug: `personas-${Date.now().toString(36)}`, name: 'Personas test' });
    const taskQueue = uniqueQueue('personas');
    const worker = await testWorker({ taskQueue, activities: createPersonaActivities({ pool }) });
    const chosen = pick(['P03', 'P05', 'P07', 'P20']);
    const base = {
      instrument: 'NIFTY' as const,
      fromDate: '2025-03-03',
      days: 30,
      personas: chosen.map((p) => p.spec),
    };
    const inputFor = (seed: number): PersonaSimulationInput => ({
      ...base,
      seed,
      simulationId: simulationIdFor({ ...base, seed }),
      tenantId: tenant.id,
      chunkDays: 7,
      daysPerRun: 12,
    });
    const run = (input: PersonaSimulationInput) =>
      executeWorkflow(client, 'personaSimulation', {
        taskQueue,
        workflowId: personaSimulationWorkflowId(input.tenantId, input.simulationId),
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      });

    await worker.runUntil(async () => {
      const input = inputFor(11);
      const workflowId = personaSimulationWorkflowId(tenant.id, input.simulationId);
      const first = await run(input);

      // The same trades, summaries and hash as the pure loop over the same market.
      const pure = simulatePersonas(
        chosen.map((p) => p.compiled),
        { instrument: 'NIFTY', fromDate: base.fromDate, days: base.days, seed: 11 },
      );
      expect(first.personas).toEqual(pure.summaries);
      expect(first.resultHash).toBe(pure.resultHash);
      expect(first.trades).toBeGreaterThan(20);
      expect(first.inserted).toBe(first.trades);

      // Stored: every trade once, tagged synthetic, and hashing the rows gives each persona's hash.
      const rows = await withTenant(app, tenant.id, (tx) => syntheticTradesOf(tx, input.simulationId));
      expect(rows).toHaveLength(first.trades);
      for (const r of rows) expect([r.contextSource, r.isSynthetic]).toEqual(['synthetic', true]);
      for (const s of first.personas) {
        const mine = rows.filter((r) => r.personaId === s.personaId).map(tradeOf);
        expect(mine.map((t) => t.seq)).toEqual(mine.map((_, i) => i));
        expect(mine.reduce(tradeHashStep, '0000000000000000')).toBe(s.tradeHash);
      }

      // Each child continued as new (30 days, 12 per run): its first run ended that way.
      const parentHistory = await client.workflow.getHandle(workflowId).fetchHistory();
      const childStarts = parentHistory.events!.filter((e) => e.childWorkflowExecutionStartedEventAttributes);
      expect(childStarts).toHaveLength(chosen.length);
      const firstChild = childStarts[0]!.childWorkflowExecutionStartedEventAttributes!.workflowExecution!;
      const firstRun = await client.workflow.getHandle(firstChild.workflowId!, firstChild.runId!).fetchHistory();
      expect(firstRun.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      await maybeRecordHistory(client, workflowId, 'persona-simulation');
      await maybeRecordHistory(client, personaRunWorkflowId(workflowId, 'P05'), 'persona-run-final');
      await maybeRecordRun(client, firstChild.workflowId!, firstChild.runId!, 'persona-run-continued');

      // A rerun of the same run writes nothing new and gives the same result.
      const again = await run(input);
      expect(again.inserted).toBe(0);
      expect(again.resultHash).toBe(first.resultHash);
      expect(await withTenant(app, tenant.id, (tx) => syntheticTradesOf(tx, input.simulationId))).toHaveLength(
        first.trades,
      );

      // Another seed is another market and other choices.
      const other = await run(inputFor(12));
      expect(other.resultHash).not.toBe(first.resultHash);
    });
  });

  it('qs personas simulate: the same seed twice prints the same resultHash; the rerun writes nothing', async () => {
    const pool = await personaPool();
    const env = testEnv();
    // The CLI starts on the personas queue: a worker on it in this namespace, as the stack runs one.
    const worker = await testWorker({ taskQueue: TASK_QUEUES.personas, activities: createPersonaActivities({ pool }) });
    const qs = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, ['bin/qs.js', ...args], {
          cwd: ROOT,
          env: {
            ...process.env,
            QS_DATA_DIR: path.join(env.tmp, 'personas-cli-data'),
            DATABASE_URL: env.adminUrl,
            QS_APP_DATABASE_URL: env.appUrl,
            TEMPORAL_ADDRESS: env.temporalAddress,
            TEMPORAL_NAMESPACE: env.namespace,
          },
        });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    await worker.runUntil(async () => {
      const args = ['personas', 'simulate', '--days', '20', '--seed', '7', '--personas', 'P01,P05', '--wait'];
      const a = await qs(...args, '--json');
      expect(a.code).toBe(0);
      const first = JSON.parse(a.stdout);
      expect(first.personas.map((p: { personaId: string }) => p.personaId)).toEqual(['P01', 'P05']);
      for (const p of first.personas) {
        expect(p).toEqual(
          expect.objectContaining({
            pnl: expect.stringMatching(/^-?\d+\.\d{2}$/),
            maxDrawdown: expect.stringMatching(/^\d+\.\d{2}$/),
            trades: expect.any(Number),
          }),
        );
        expect(p.stateDays.rational + p.stateDays.tilted + p.stateDays.fatigued + p.bustDays).toBe(20);
      }
      expect(first.inserted).toBe(first.trades);

      const b = await qs(...args);
      expect(b.code).toBe(0);
      expect(b.stdout).toContain(`resultHash ${first.resultHash}`);
      expect(b.stdout).toMatch(/^P05 +aggressor +\d+ +-?\d+\.\d{2} +\d+\.\d{2}/m);
      expect(b.stdout).toContain(`trades ${first.trades} (new 0)`);

      const bad = await qs('personas', 'simulate', '--personas', 'P05,P42');
      expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringMatching(/^qs: --personas: no persona P42/)]);
    });
  });
});
