/** Which broker a tenant trades through (no row = paper) and its settings; secrets: broker-credentials.ts. */
import { eq } from 'drizzle-orm';
import type { BrokerName } from '../contracts/broker-reports';
import { brokerAccounts } from './schema';
import type { TenantTx } from './tenant';

export interface BrokerAccount {
  broker: BrokerName;
  settings: { baseUrl?: string; apiKey?: string; timeoutMs?: number; settleMs?: number };
}

export async function brokerAccount(tx: TenantTx): Promise<BrokerAccount | undefined> {
  const [row] = await tx.db
    .select({
      broker: brokerAccounts.broker,
      settings: brokerAccounts.settings,
    })
    .from(brokerAccounts)
    .where(eq(brokerAccounts.tenantId, tx.tenantId));
  return row && { ...row, settings: row.settings as BrokerAccount['settings'] };
}

export async function brokerNameOf(tx: TenantTx): Promise<BrokerName> {
  return (await brokerAccount(tx))?.broker ?? 'paper';
}
