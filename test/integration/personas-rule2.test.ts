/**
 * Rule 2 in depth, on the real persona worker process (workers/personas.ts, as the stack runs
 * it) and the real database:
 *  (a) with a broker credential in its environment it exits non-zero naming the variable (never
 *      its value); so it does with the owner's DATABASE_URL or a database role not its own;
 *  (b) its role, qs_persona, can read and write synthetic trades and nothing else: broker
 *      accounts, orders, fills, positions, trades and the paper broker are refused, and no other
 *      table or SECURITY DEFINER function is open to it;
 *  (c) its bundle holds the persona workflows only: given the platform's full bundle in
 *      QS_WORKFLOW_BUNDLE it still runs PersonaSimulation, and an OrderPlacement started on its
 *      queue fails its workflow task (no such workflow there) and never runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../../db/client';
import { enablePersonaLogin } from '../../db/persona-role';
import { withTenant } from '../../db/tenant';
import { personaSimulationWorkflowId, simulationIdFor } from '../../contracts/personas';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { loadPersonas } from '../../personas/loader';
import { executeWorkflow, startWorkflow } from '../../runtime/workflow-client';
import { setupTemporal } from '../../runtime/temporal-setup';
import { testEnv, testPool } from '../support/env';

const ROOT = path.join(__dirname, '..', '..');

/** The environment a worker inherits here, without anything that would trip Rule 2 by accident. */
function baseEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/KITE|ZERODHA|BROKER|SECRET|TOKEN|DATABASE_URL/i.test(k)) env[k] = v;
  return { ...env, QS_DATA_DIR: path.join(testEnv().tmp, 'persona-worker'), QS_LOG_LEVEL: 'warn', ...extra };
}

interface Running {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

function startWorker(env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run-ts.js'), 'workers/personas.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => out };
}

let personaUrl: string;
beforeAll(async () => {
  personaUrl = await enablePersonaLogin(testEnv().adminUrl, testEnv().appUrl);
});

describe('Rule 2 (a): the persona worker refuses to boot with a broker credential', () => {
  it.each([
    ['KITE_API_SECRET', 'kite-secret-value'],
    ['KITE_ACCESS_TOKEN', 'tok-123'],
    ['ZERODHA_USER_PASSWORD', 'pw'],
    ['QS_SECRETS_KEY', 'k'.repeat(44)],
  ])('%s in its environment: exits non-zero naming it, not its value', async (name, value) => {
    const w = startWorker(
      baseEnv({ [name]: value, QS_APP_DATABASE_URL: personaUrl, TEMPORAL_ADDRESS: testEnv().temporalAddress }),
    );
    const { code } = await w.exited;
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(w.output()).toContain(`broker credentials in its environment: ${name}`);
    expect(w.output()).not.toContain(value);
  });

  it("with the owner's DATABASE_URL, or as any role but qs_persona, it refuses too", async () => {
    const owner = startWorker(
      baseEnv({
        DATABASE_URL: testEnv().adminUrl,
        QS_APP_DATABASE_URL: personaUrl,
        TEMPORAL_ADDRESS: testEnv().temporalAddress,
      }),
    );
    expect((await owner.exited).code).not.toBe(0);
    expect(owner.output()).toMatch(/refuses to boot with DATABASE_URL/);
    const app = startWorker(
      baseEnv({ QS_APP_DATABASE_URL: testEnv().appUrl, TEMPORAL_ADDRESS: testEnv().temporalAddress }),
    );
    expect((await app.exited).code).not.toBe(0);
    expect(app.output()).toMatch(/QS_APP_DATABASE_URL must name that role \(it names qs_app\)/);
  });
});

describe('Rule 2 (b): qs_persona touches synthetic trades and nothing else', () => {
  it('is refused on broker accounts, orders, fills, positions, trades and the paper broker', async () => {
    const pool = createPool(personaUrl, { max: 2 });
    try {
      for (const table of ['broker_accounts', 'orders', 'fills', 'positions', 'trades', 'paper_accounts', 'users']) {
        for (const sql of [
          `SELECT count(*) FROM ${table}`,
          `DELETE FROM ${table}`,
          `UPDATE ${table} SET tenant_id = tenant_id`,
        ]) {
          const err = await withTenant(pool, 0, (tx) => tx.client.query(sql)).then(
            () => undefined,
            (e: { code?: string; message: string }) => e,
          );
          expect({ sql, code: err?.code, message: err?.message }).toEqual({
            sql,
            code: '42501',
            message: `permission denied for table ${table}`,
          });
        }
      }
      // What it is for still works (under a tenant, subject to RLS like the runtime role).
      const n = await withTenant(pool, 0, (tx) => tx.client.query('SELECT count(*)::int AS n FROM synthetic_trades'));
      expect(n.rows[0].n).toBeGreaterThanOrEqual(0);
    } finally {
      await pool.end();
    }
  });

  it('holds privileges on synthetic_trades alone (SELECT, INSERT) and on no SECURITY DEFINER function', async () => {
    const admin = testPool('admin');
    const tables = await admin.query<{ table: string; privileges: string }>(
      `SELECT c.relname AS table,
              concat_ws(',', CASE WHEN has_table_privilege('qs_persona', c.oid, 'SELECT') THEN 'SELECT' END,
                             CASE WHEN has_table_privilege('qs_persona', c.oid, 'INSERT') THEN 'INSERT' END,
                             CASE WHEN has_table_privilege('qs_persona', c.oid, 'UPDATE') THEN 'UPDATE' END,
                             CASE WHEN has_table_privilege('qs_persona', c.oid, 'DELETE') THEN 'DELETE' END)
                AS privileges
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
          AND (has_table_privilege('qs_persona', c.oid, 'SELECT')
            OR has_table_privilege('qs_persona', c.oid, 'INSERT')
            OR has_table_privilege('qs_persona', c.oid, 'UPDATE')
            OR has_table_privilege('qs_persona', c.oid, 'DELETE'))`,
    );
    expect(tables.rows).toEqual([{ table: 'synthetic_trades', privileges: 'SELECT,INSERT' }]);
    const definers = await admin.query<{ name: string }>(
      `SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prosecdef AND has_function_privilege('qs_persona', p.oid, 'EXECUTE')`,
    );
    expect(definers.rows).toEqual([]);
    const role = await admin.query(
      `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'qs_persona'`,
    );
    expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false }]);
  });
});

describe('Rule 2 (c): the persona worker runs persona workflows only', () => {
  it('runs PersonaSimulation; an OrderPlacement on its queue finds no workflow there and never runs', async () => {
    // A namespace of its own (no other poller on its personas queue), set up as the stack sets one up.
    const namespace = `rule2-${process.pid}-${Date.now().toString(36)}`;
    const connection = await Connection.connect({ address: testEnv().temporalAddress });
    await setupTemporal(connection, { namespace, address: testEnv().temporalAddress, retentionDays: 1 });
    const client = new Client({ connection, namespace });
    const w = startWorker(
      baseEnv({
        TEMPORAL_ADDRESS: testEnv().temporalAddress,
        TEMPORAL_NAMESPACE: namespace,
        QS_APP_DATABASE_URL: personaUrl,
        // The platform's full bundle: the persona worker must not load it.
        QS_WORKFLOW_BUNDLE: testEnv().bundlePath,
      }),
    );
    try {
      const personas = loadPersonas()
        .filter((p) => p.spec.persona_id === 'P07')
        .map((p) => p.spec);
      const run = { seed: 3, instrument: 'NIFTY' as const, fromDate: '2025-07-01', days: 5, personas };
      const simulationId = simulationIdFor(run);
      // If the worker dies or stalls, say what it printed instead of timing out silently.
      let timer: NodeJS.Timeout | undefined;
      const died = new Promise<never>((_, reject) => {
        void w.exited.then(() => reject(new Error(`the persona worker exited:\n${w.output()}`)));
        timer = setTimeout(() => reject(new Error(`no result in 90 s; the worker said:\n${w.output()}`)), 90_000);
      });
      died.catch(() => undefined);
      const result = await Promise.race([
        executeWorkflow(client, 'personaSimulation', {
          taskQueue: TASK_QUEUES.personas,
          workflowId: personaSimulationWorkflowId(0, simulationId),
          args: [{ ...run, simulationId, tenantId: 0 }],
        }),
        died,
      ]).finally(() => clearTimeout(timer));
      expect(result.personas.map((p) => p.personaId)).toEqual(['P07']);

      const order = await startWorkflow(client, 'orderPlacement', {
        taskQueue: TASK_QUEUES.personas,
        workflowId: `rule2-order-${Date.now()}`,
        args: [
          {
            tenantId: 1,
            decisionId: 'rule2',
            structure: 'BULL_PUT_SPREAD',
            instrument: 'NIFTY',
            tradingDate: '2025-07-01',
            lots: 1,
            legs: [],
          },
        ],
      });
      let failure = '';
      for (let i = 0; i < 100 && !failure; i++) {
        const history = await order.fetchHistory();
        const failed = history.events!.find((e) => e.workflowTaskFailedEventAttributes);
        failure = failed?.workflowTaskFailedEventAttributes?.failure?.message ?? '';
        if (!failure) await new Promise((r) => setTimeout(r, 200));
      }
      expect(failure).toMatch(/orderPlacement/);
      expect(failure).toMatch(/not (found|registered)|no such/i);
      const history = await order.fetchHistory();
      expect(history.events!.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
      expect((await order.describe()).status.name).toBe('RUNNING');
      await order.terminate('Rule 2 test: an order has no place on the persona worker');
    } finally {
      w.child.kill('SIGTERM');
      await w.exited;
      await connection.close();
    }
  });
});
