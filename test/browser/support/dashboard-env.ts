/**
 * What the dashboard tests stand on: the real API in this process (Express + Socket.IO on a free
 * port, the run's Postgres and Temporal), tenants with users who log in with passwords, and trading
 * + broker workers serving decide from the registry's production models (trained once if the run's
 * registry has none yet).
 */
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import { loadConfig } from '../../../runtime/config';
import { startApiServer, type ApiServer } from '../../../api/server';
import { createUser } from '../../../db/tenants';
import { configurePaperAccount } from '../../../broker/paper/paper-broker';
import { ModelCache } from '../../../ml/model-cache';
import { ModelRegistry } from '../../../ml/registry';
import { saveTenantVariant } from './train-variant';
import { brokerActivities, tradingActivities } from '../../../workers/activities';
import { TASK_QUEUES } from '../../../contracts/task-queues';
import { testEnv, testWorker } from '../../support/env';
import { createTenant, PAPER_DAY } from '../../support/orders-env';

const ROOT = path.join(__dirname, '..', '..', '..');

export const PASSWORD = 'a long browser test password';
/** The API's session key: the tests mint sessions of their own to ask the API directly. */
export const SESSION_SECRET = 'b'.repeat(40);
/** Where the decision's why links its workflow (nothing answers there: the tests read the link). */
export const TEMPORAL_UI_URL = 'http://temporal-ui.test';

/** The API on `port` (0: a free one). */
export async function startApi(port = 0): Promise<ApiServer> {
  const env = testEnv();
  const config = loadConfig({
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_NAMESPACE: env.namespace,
    QS_LOG_LEVEL: 'silent',
    QS_SESSION_SECRET: SESSION_SECRET,
    QS_TEMPORAL_UI_URL: TEMPORAL_UI_URL,
  });
  const api = await startApiServer({ ...config, api: { host: '127.0.0.1', port } }, env.appUrl);
  await api.realtime.ready;
  return api;
}

export interface BrowserTenant {
  id: number;
  slug: string;
  name: string;
  /** Email of a user per role. */
  users: Record<'operator' | 'trader', string>;
}

/** A tenant on the paper broker with an operator and a trader. */
export async function browserTenant(pool: Pool, prefix: string): Promise<BrowserTenant> {
  const t = await createTenant(pool, prefix);
  await configurePaperAccount(pool, t.id, {
    market: PAPER_DAY,
    exchange: { latencyMsMin: 1, latencyMsMax: 5 },
    faults: {},
  });
  const users = { operator: `ops@${t.slug}.test`, trader: `trader@${t.slug}.test` };
  for (const [role, email] of Object.entries(users)) await createUser(pool, t.id, { email, role, password: PASSWORD });
  return { ...t, name: `Tenant ${t.slug}`, users };
}

/**
 * Decide's models for the tenant: small ones (three days of data) saved as the tenant's own
 * variants, so its day decides the same way whatever else the run's registry holds (seed 7 then
 * trades at the open), and no other test ever decides on them. One trains in a child process while
 * this one trains the other.
 */
export async function decisionModels(pool: Pool, tenantId: number): Promise<ModelCache> {
  const child = promisify(execFile)(process.execPath, [
    path.join(ROOT, 'bin', 'run-ts.js'),
    path.join(__dirname, 'train-variant.ts'),
    'signal_stack',
    String(tenantId),
    testEnv().appUrl,
  ]);
  await Promise.all([
    child,
    saveTenantVariant(new ModelRegistry(pool, { actor: 'browser-test' }), 'strategy_agents', tenantId),
  ]);
  const cache = new ModelCache({ pool, listenUrl: testEnv().appUrl, workerId: `browser-test-${process.pid}` });
  await cache.start();
  return cache;
}

/** Trading + broker workers for the duration of fn. */
export async function withWorkers<T>(pool: Pool, models: ModelCache, fn: () => Promise<T>): Promise<T> {
  const trading = await testWorker({
    taskQueue: TASK_QUEUES.trading,
    activities: tradingActivities({ pool, workerId: 'browser-trading', models }),
  });
  const broker = await testWorker({
    taskQueue: TASK_QUEUES.broker,
    activities: brokerActivities({ pool, workerId: 'browser-broker', liveTrading: false }),
  });
  return trading.runUntil(broker.runUntil(fn));
}
