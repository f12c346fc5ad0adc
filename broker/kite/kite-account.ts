/**
 * A tenant's Kite adapter from its account row: credentials opened with QS_SECRETS_KEY, the
 * session checked before any byte leaves (a stale or refused token → BrokerReloginRequiredError
 * with the reason, no HTTP), orders drawn from the client account's shared budget in Postgres
 * (every process and worker of the account together), and a TokenException recorded as
 * "re-login required" for the tenant.
 */
import type { Pool } from 'pg';
import { kiteCredentials, markReloginRequired, sessionVerdictOf } from '../../db/broker-credentials';
import { SecretUnreadableError, type KeyProvider } from '../../db/secret-box';
import { withTenant } from '../../db/tenant';
import { BrokerAuthError, BrokerReloginRequiredError } from '../errors';
import { KITE_READ_LIMITS, SharedAccountLimiter, SlidingWindowLimiter, WINDOW_MARGIN_MS } from '../rate-limiter';
import type { BrokerPort } from '../port';
import type { RequestGate } from '../rate-limiter';
import { KiteBroker } from './kite-broker';

export interface KiteAccountDeps {
  readonly pool: Pool;
  /** null: QS_SECRETS_KEY is not configured, so no Kite account can be used. */
  readonly keys: KeyProvider | null;
  readonly fetchImpl?: typeof fetch;
  readonly now?: () => Date;
}

/** Per process: one shared order budget and one read limiter per account. */
export class KiteAccounts {
  private readonly orderGates = new Map<string, RequestGate>();
  private readonly readGates = new Map<string, RequestGate>();

  constructor(private readonly deps: KiteAccountDeps) {}

  /** A stale or refused session yields a broker that refuses every call with the reason (no HTTP). */
  async forTenant(tenantId: number): Promise<BrokerPort> {
    const { pool, keys } = this.deps;
    if (!keys)
      throw new BrokerAuthError(
        `tenant ${tenantId}: QS_SECRETS_KEY is not set, so its Kite credentials cannot be opened`,
        'NO_SECRETS_KEY',
      );
    let creds;
    try {
      creds = await withTenant(pool, tenantId, (tx) => kiteCredentials(tx, keys));
    } catch (e) {
      if (e instanceof SecretUnreadableError) throw new BrokerAuthError(`tenant ${tenantId}: ${e.message}`, 'SECRET');
      throw e;
    }
    if (!creds) throw new BrokerAuthError(`tenant ${tenantId} has no Kite account`, 'NO_ACCOUNT');
    const { baseUrl, apiKey } = creds.settings;
    if (!baseUrl || !apiKey)
      throw new BrokerAuthError(`tenant ${tenantId}: the Kite account needs settings.baseUrl and settings.apiKey`);
    const verdict = sessionVerdictOf(
      { ...creds, hasToken: creds.accessToken !== null },
      this.deps.now?.() ?? new Date(),
    );
    if (!verdict.live || !creds.accessToken)
      return refusingBroker(
        new BrokerReloginRequiredError(`tenant ${tenantId}: ${verdict.reason}`, 'RELOGIN_REQUIRED'),
      );
    // The client account (Kite user id) owns the order limits; before the first session, the app key.
    const account = `kite:${creds.settings.userId ?? apiKey}`;
    let orders = this.orderGates.get(account);
    if (!orders) this.orderGates.set(account, (orders = new SharedAccountLimiter(pool, account)));
    let reads = this.readGates.get(account);
    if (!reads)
      this.readGates.set(
        account,
        (reads = new SlidingWindowLimiter(KITE_READ_LIMITS, Date.now, undefined, WINDOW_MARGIN_MS)),
      );
    return new KiteBroker(
      {
        baseUrl,
        apiKey,
        accessToken: creds.accessToken,
        timeoutMs: creds.settings.timeoutMs,
        settleMs: creds.settings.settleMs,
        marketProtection: creds.settings.marketProtection,
        algoId: creds.settings.algoId,
      },
      { orders, reads },
      this.deps.fetchImpl,
      {
        onSessionExpired: (detail) => withTenant(pool, tenantId, (tx) => markReloginRequired(tx, detail)),
      },
    );
  }
}

/** Every call fails with `error`, before any byte leaves: the callers' handling of it decides. */
function refusingBroker(error: Error): BrokerPort {
  const refuse = () => Promise.reject(error);
  return {
    name: 'kite',
    settleMs: 0,
    orderBookHorizon: 'day',
    placeOrder: refuse,
    modifyOrder: refuse,
    cancelOrder: refuse,
    getOrder: refuse,
    getOrders: refuse,
    findOrdersByTag: refuse,
    getTrades: refuse,
    getOrderTrades: refuse,
    getPositions: refuse,
    getMargins: refuse,
  };
}
