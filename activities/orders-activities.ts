/** Everything issue 5 registers on the workers: one factory per task queue (one line each in workers/). */
import type { Pool } from 'pg';
import { createBrokerRegistry } from '../broker/registry';
import { createBrokerActivities } from './broker-orders';
import { createOrderActivities } from './orders';
import { createReconciliationActivities } from './reconciliation';

export function tradingOrderActivities(deps: { pool: Pool }) {
  return { ...createOrderActivities(deps), ...createReconciliationActivities(deps) };
}

export function brokerOrderActivities(deps: { pool: Pool; config: { liveTrading: boolean } }) {
  return createBrokerActivities({
    pool: deps.pool,
    registry: createBrokerRegistry({ pool: deps.pool, liveTrading: deps.config.liveTrading }),
  });
}
