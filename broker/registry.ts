/**
 * Which broker a tenant trades through (broker_accounts; no row = paper), built once per
 * process. Kite adapters sit behind the dry-run lock and share one rate limiter per Kite
 * account (api key), so every tenant on the same account draws from the same budget.
 */
import type { Pool } from 'pg';
import { brokerAccount } from '../db/broker-accounts';
import { withTenant } from '../db/tenant';
import { BrokerAuthError } from './errors';
import { DryRunLock, LiveGuardedBroker } from './dry-run-lock';
import { KiteBroker, newKiteLimiters, type KiteLimiters } from './kite/kite-broker';
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
}): BrokerRegistry {
  const lock = new DryRunLock({ pool: deps.pool, liveTrading: deps.liveTrading });
  const limiters = new Map<string, KiteLimiters>();
  const account = (tenantId: number) => withTenant(deps.pool, tenantId, brokerAccount);
  return {
    async brokerName(tenantId) {
      return (await account(tenantId))?.broker ?? 'paper';
    },
    async forTenant(tenantId) {
      const row = await account(tenantId);
      if (!row || row.broker === 'paper') return new PaperBroker(deps.pool, tenantId);
      const { baseUrl, apiKey } = row.settings;
      if (!baseUrl || !apiKey || !row.accessToken)
        throw new BrokerAuthError(
          `tenant ${tenantId}: kite account needs settings.baseUrl, settings.apiKey and an access token`,
        );
      let l = limiters.get(apiKey);
      if (!l) limiters.set(apiKey, (l = newKiteLimiters()));
      const kite = new KiteBroker(
        {
          baseUrl,
          apiKey,
          accessToken: row.accessToken,
          timeoutMs: row.settings.timeoutMs,
          settleMs: row.settings.settleMs,
        },
        l,
        deps.fetchImpl,
      );
      return new LiveGuardedBroker(kite, lock, tenantId);
    },
  };
}
