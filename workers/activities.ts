/**
 * What the trading and broker workers register, one function per task queue. The worker
 * entrypoints, the integration tests and the benchmarks all use these, so a test worker
 * serves exactly the activities a production worker serves.
 */
import type { Pool } from 'pg';
import { createBrokerRegistry } from '../broker/registry';
import { createBrokerActivities } from '../activities/broker-calls';
import { createOrderActivities } from '../activities/order-ledger';
import { createDecideActivities, type ModelSource } from '../activities/decide';
import { createHedgingActivities } from '../activities/hedging';
import { createNotificationActivities } from '../activities/notifications';
import { envKeyProvider } from '../db/secret-box';
import { createReconciliationActivities } from '../activities/reconciliation';
import { createSystemCheckActivities } from '../activities/system-check';
import { createTradingDayActivities } from '../activities/trading-day';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { TASK_QUEUES } from '../contracts/task-queues';
import { servingOnly } from './broker-queue-guard';

/**
 * The trading queue: database-only activities (SystemCheck, OrderPlacement's ledger,
 * Reconciliation) and decide, which reads the models the process serves (its ModelCache).
 */
export function tradingActivities(deps: { pool: Pool; workerId: string; models?: ModelSource }) {
  return {
    ...createSystemCheckActivities(deps),
    ...createWorkerIdentityActivities(deps),
    ...createOrderActivities(deps),
    ...createReconciliationActivities(deps),
    ...createHedgingActivities(deps),
    ...createTradingDayActivities(deps),
    // Telegram: the bot token opens with QS_SECRETS_KEY, read when a notifier activity runs.
    ...createNotificationActivities({ pool: deps.pool, keys: () => envKeyProvider() }),
    ...(deps.models ? createDecideActivities({ pool: deps.pool, models: deps.models }) : {}),
  };
}

/**
 * A broker queue: every call that reaches a broker, behind the dry-run lock, for the tenants
 * whose broker queue is one of `queues` (default the shared `broker` queue) and no others.
 */
export function brokerActivities(deps: {
  pool: Pool;
  workerId: string;
  liveTrading: boolean;
  queues?: readonly string[];
}) {
  const { pool, liveTrading } = deps;
  return {
    ...createWorkerIdentityActivities(deps),
    ...servingOnly(createBrokerActivities({ pool, registry: createBrokerRegistry({ pool, liveTrading }) }), {
      pool,
      queues: deps.queues ?? [TASK_QUEUES.broker],
    }),
  };
}
