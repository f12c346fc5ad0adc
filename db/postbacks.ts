/** What a broker postback needs from the database: the tenant's Kite secret and the order it names. */
import type { Pool } from 'pg';
import { and, asc, eq, or } from 'drizzle-orm';
import { withTenant } from './tenant';
import { kiteApiSecretOf } from './broker-credentials';
import { envKeyProvider, SecretUnreadableError } from './secret-box';
import { orders } from './schema/trading';

/**
 * The tenant's Kite API secret, opened with the process's QS_SECRETS_KEY; undefined when the
 * tenant does not exist, has no Kite account, or the key is not configured (the postback is refused).
 */
export async function kiteApiSecret(pool: Pool, tenantId: number): Promise<string | undefined> {
  const keys = envKeyProvider();
  if (!keys) return undefined;
  try {
    return await withTenant(pool, tenantId, (tx) => kiteApiSecretOf(tx, keys));
  } catch (e) {
    if (e instanceof SecretUnreadableError) return undefined;
    throw e;
  }
}

/** The ledger order a postback is about: by our tag, else by the broker's order id. */
export async function orderForPostback(
  pool: Pool,
  tenantId: number,
  ref: { tag: string | undefined; brokerOrderId: string },
): Promise<{ tag: string; workflowId: string | null } | undefined> {
  const rows = await withTenant(pool, tenantId, ({ db }) =>
    db
      .select({ tag: orders.tag, workflowId: orders.workflowId })
      .from(orders)
      .where(
        and(
          eq(orders.tenantId, tenantId),
          or(eq(orders.tag, ref.tag ?? ''), eq(orders.brokerOrderId, ref.brokerOrderId)),
        ),
      )
      .orderBy(asc(orders.id))
      .limit(1),
  );
  return rows[0];
}
