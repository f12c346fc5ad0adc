/**
 * Which broker a tenant trades through (broker_accounts; no row = paper), built once per
 * process. Kite adapters (broker/kite/kite-account.ts) sit behind the dry-run lock; their
 * orders draw from the client account's budget shared in Postgres by every process.
 */
import type { Pool } from 'pg';
import { brokerAccount } from '../db/broker-accounts';
import { withTenant } from '../db/tenant';
import { envKeyProvider, type KeyProvider } from '../db/secret-box';
import { DryRunLock, LiveGuardedBroker } from './dry-run-lock';
import { KiteAccounts } from './kite/kite-account';
import { PaperBroker } from './paper/paper-broker';
import type { BrokerPort } from './port';
import type { BrokerName } from '../contracts/broker-reports';

export interface BrokerRegistry {
  forTenant(tenantId: number): Promise<BrokerPort>;
  brokerName(tenantId: number): Promise<BrokerName>;
}

export function createBrokerRegistry(deps: {
  pool: Pool;
  liveTrading: boolean;
  fetchImpl?: typeof fetch;
  /** Opens Kite credentials; default QS_SECRETS_KEY from the environment. */
  keys?: KeyProvider | null;
}): BrokerRegistry {
  const lock = new DryRunLock({ pool: deps.pool, liveTrading: deps.liveTrading });
  const kite = new KiteAccounts({
    pool: deps.pool,
    keys: deps.keys === undefined ? envKeyProvider() : deps.keys,
    fetchImpl: deps.fetchImpl,
  });
  const account = (tenantId: number) => withTenant(deps.pool, tenantId, brokerAccount);
  return {
    async brokerName(tenantId) {
      return (await account(tenantId))?.broker ?? 'paper';
    },
    async forTenant(tenantId) {
      const row = await account(tenantId);
      if (!row || row.broker === 'paper') return new PaperBroker(deps.pool, tenantId);
      return new LiveGuardedBroker(await kite.forTenant(tenantId), lock, tenantId);
    },
  };
}
