/**
 * A tenant's Kite credentials and session: the API secret and the day's access token sealed
 * with QS_SECRETS_KEY (db/secret-box.ts), the token's age, and whether Kite has asked for a new
 * login. `brokerSessionVerdict` is the pre-open check: may this tenant's broker trade now, and
 * if not, why. Kite access tokens expire at 06:00 IST the day after they were issued.
 */
import type { Pool } from 'pg';
import { and, asc, eq, isNotNull, ne, or } from 'drizzle-orm';
import { createDb } from './client';
import { auditIn } from './audit';
import { open, seal, sealedKeyId, type KeyProvider } from './secret-box';
import { brokerAccounts } from './schema/broker';
import { PLATFORM_TENANT_ID, tenants } from './schema/tenants';
import { withTenant, type TenantTx } from './tenant';

/** Non-secret Kite settings (broker_accounts.settings). */
export interface KiteAccountSettings {
  baseUrl?: string;
  /** Where the login flow starts (Kite's login page; a test points it at the fake). */
  loginUrl?: string;
  apiKey?: string;
  /** The Kite client id (from the session): the account whose order limits apply. */
  userId?: string;
  /** The exchange-assigned algo id, sent on every order when the strategy is registered. */
  algoId?: string;
  /** -1 = Kite's automatic protection, else a percentage 0 < p <= 100 (default -1). */
  marketProtection?: number;
  timeoutMs?: number;
  settleMs?: number;
}

export type SessionStatus = 'none' | 'active' | 'relogin_required';

export interface KiteCredentials {
  settings: KiteAccountSettings;
  apiSecret: string | null;
  accessToken: string | null;
  tokenCreatedAt: Date | null;
  sessionStatus: SessionStatus;
  sessionReason: string | null;
}

type Column = 'api_secret' | 'access_token';
const aad = (tenantId: number, column: Column) => `broker_accounts/${tenantId}/${column}`;

const IST_OFFSET_MS = 330 * 60_000;

/** The next 06:00 IST strictly after `issuedAt`: when Kite flushes the token. */
export function kiteTokenExpiry(issuedAt: Date): Date {
  const ist = new Date(issuedAt.getTime() + IST_OFFSET_MS);
  const six = Date.UTC(ist.getUTCFullYear(), ist.getUTCMonth(), ist.getUTCDate(), 6, 0, 0) - IST_OFFSET_MS;
  return new Date(six > issuedAt.getTime() ? six : six + 86_400_000);
}

export const istClock = (d: Date) =>
  `${new Date(d.getTime() + IST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')} IST`;

export async function kiteAccountRow(tx: TenantTx) {
  const [row] = await tx.db
    .select({
      broker: brokerAccounts.broker,
      settings: brokerAccounts.settings,
      apiSecretEnc: brokerAccounts.apiSecretEnc,
      accessTokenEnc: brokerAccounts.accessTokenEnc,
      tokenCreatedAt: brokerAccounts.tokenCreatedAt,
      sessionStatus: brokerAccounts.sessionStatus,
      sessionReason: brokerAccounts.sessionReason,
    })
    .from(brokerAccounts)
    .where(eq(brokerAccounts.tenantId, tx.tenantId));
  return row && row.broker === 'kite' ? { ...row, settings: row.settings as KiteAccountSettings } : undefined;
}

/** The tenant's Kite account with its secrets opened; undefined when it trades elsewhere. */
export async function kiteCredentials(tx: TenantTx, keys: KeyProvider): Promise<KiteCredentials | undefined> {
  const row = await kiteAccountRow(tx);
  if (!row) return undefined;
  return {
    settings: row.settings,
    apiSecret: row.apiSecretEnc ? open(keys, row.apiSecretEnc, aad(tx.tenantId, 'api_secret')) : null,
    accessToken: row.accessTokenEnc ? open(keys, row.accessTokenEnc, aad(tx.tenantId, 'access_token')) : null,
    tokenCreatedAt: row.tokenCreatedAt,
    sessionStatus: row.sessionStatus,
    sessionReason: row.sessionReason,
  };
}

/** Creates or updates the tenant's Kite account; a new API secret (if given) is sealed. */
export async function saveKiteAccount(
  tx: TenantTx,
  keys: KeyProvider,
  settings: KiteAccountSettings,
  apiSecret?: string,
): Promise<void> {
  const existing = await kiteAccountRow(tx);
  const merged = { ...(existing?.settings ?? {}), ...settings };
  const secret = apiSecret === undefined ? undefined : seal(keys, apiSecret, aad(tx.tenantId, 'api_secret'));
  await tx.db
    .insert(brokerAccounts)
    .values({ tenantId: tx.tenantId, broker: 'kite', settings: merged, apiSecretEnc: secret ?? null })
    .onConflictDoUpdate({
      target: brokerAccounts.tenantId,
      set: { broker: 'kite', settings: merged, ...(secret ? { apiSecretEnc: secret } : {}), updatedAt: new Date() },
    });
  await auditIn(tx.client, tx.tenantId, null, 'broker.account_configured', {
    broker: 'kite',
    settings: merged,
    apiSecretChanged: secret !== undefined,
  });
}

/** A new session from the login flow: the token sealed, the account's client id recorded. */
export async function saveKiteSession(
  tx: TenantTx,
  keys: KeyProvider,
  session: { accessToken: string; userId: string | null; issuedAt: Date },
): Promise<void> {
  const row = await kiteAccountRow(tx);
  if (!row) throw new Error(`tenant ${tx.tenantId} has no Kite account`);
  const settings = session.userId ? { ...row.settings, userId: session.userId } : row.settings;
  await tx.db
    .update(brokerAccounts)
    .set({
      settings,
      accessTokenEnc: seal(keys, session.accessToken, aad(tx.tenantId, 'access_token')),
      tokenCreatedAt: session.issuedAt,
      sessionStatus: 'active',
      sessionReason: null,
      updatedAt: new Date(),
    })
    .where(eq(brokerAccounts.tenantId, tx.tenantId));
  await auditIn(tx.client, tx.tenantId, null, 'broker.session_created', {
    broker: 'kite',
    userId: session.userId,
    issuedAt: session.issuedAt.toISOString(),
    expiresAt: kiteTokenExpiry(session.issuedAt).toISOString(),
  });
}

/** Kite refused the token (TokenException): no call goes out until the tenant logs in again. */
export async function markReloginRequired(tx: TenantTx, reason: string): Promise<void> {
  const updated = await tx.db
    .update(brokerAccounts)
    .set({ sessionStatus: 'relogin_required', sessionReason: reason, updatedAt: new Date() })
    .where(and(eq(brokerAccounts.tenantId, tx.tenantId), eq(brokerAccounts.sessionStatus, 'active')))
    .returning({ tenantId: brokerAccounts.tenantId });
  // Once per expiry: the event the notifier picks up.
  if (updated.length > 0) await auditIn(tx.client, tx.tenantId, null, 'broker.relogin_required', { reason });
}

export interface SessionVerdict {
  /** May the tenant's broker be used now (paper: always). */
  live: boolean;
  broker: 'paper' | 'kite';
  reason: string | null;
  expiresAt: Date | null;
}

/** The session part of the pre-open check, from an account row: no I/O, `now` given. */
export function sessionVerdictOf(
  row: { sessionStatus: SessionStatus; sessionReason: string | null; tokenCreatedAt: Date | null; hasToken: boolean },
  now: Date,
): SessionVerdict {
  const relogin = 'log in again: qs broker kite login-url, then qs broker kite session';
  const expiresAt = row.tokenCreatedAt ? kiteTokenExpiry(row.tokenCreatedAt) : null;
  const refuse = (why: string): SessionVerdict => ({
    live: false,
    broker: 'kite',
    reason: `${why}; ${relogin}`,
    expiresAt,
  });
  if (row.sessionStatus === 'relogin_required')
    return refuse(`Kite refused the access token (${row.sessionReason ?? 'TokenException'})`);
  if (!row.hasToken || !row.tokenCreatedAt) return refuse('the Kite account has no access token');
  if (now.getTime() >= expiresAt!.getTime())
    return refuse(`the Kite access token issued ${istClock(row.tokenCreatedAt)} expired at ${istClock(expiresAt!)}`);
  return { live: true, broker: 'kite', reason: null, expiresAt };
}

/**
 * The pre-open check: whether the tenant's broker session can trade at `now`, with the reason
 * when it cannot (a stale or refused Kite token). A tenant without a Kite account is paper: live.
 */
export async function brokerSessionVerdict(pool: Pool, tenantId: number, now = new Date()): Promise<SessionVerdict> {
  return withTenant(pool, tenantId, async (tx) => {
    const row = await kiteAccountRow(tx);
    if (!row) return { live: true, broker: 'paper', reason: null, expiresAt: null };
    return sessionVerdictOf({ ...row, hasToken: row.accessTokenEnc !== null }, now);
  });
}

/** The Kite API secret for a postback's checksum; undefined without a Kite account or a secret. */
export async function kiteApiSecretOf(tx: TenantTx, keys: KeyProvider): Promise<string | undefined> {
  const row = await kiteAccountRow(tx);
  return row?.apiSecretEnc ? open(keys, row.apiSecretEnc, aad(tx.tenantId, 'api_secret')) : undefined;
}

export interface RotationReport {
  tenantId: number;
  resealed: number;
}

/**
 * Re-seals every secret not sealed with the current key, in every tenant (suspended ones too:
 * a retired key must open nothing afterwards). A secret whose key is not configured stops the
 * rotation (SecretUnreadableError names the key id); nothing is lost, a rerun continues.
 */
export async function rotateSecrets(pool: Pool, keys: KeyProvider): Promise<RotationReport[]> {
  const current = keys.current().id;
  const out: RotationReport[] = [];
  const ids = await createDb(pool)
    .select({ id: tenants.id })
    .from(tenants)
    .where(ne(tenants.id, PLATFORM_TENANT_ID))
    .orderBy(asc(tenants.id));
  for (const { id } of ids)
    await withTenant(pool, id, async (tx) => {
      const [row] = await tx.db
        .select({ apiSecretEnc: brokerAccounts.apiSecretEnc, accessTokenEnc: brokerAccounts.accessTokenEnc })
        .from(brokerAccounts)
        .where(
          and(
            eq(brokerAccounts.tenantId, tx.tenantId),
            or(isNotNull(brokerAccounts.apiSecretEnc), isNotNull(brokerAccounts.accessTokenEnc)),
          ),
        );
      if (!row) return;
      const reseal = (env: string | null, column: Column) =>
        env && sealedKeyId(env) !== current
          ? seal(keys, open(keys, env, aad(tx.tenantId, column)), aad(tx.tenantId, column))
          : env;
      const apiSecretEnc = reseal(row.apiSecretEnc, 'api_secret');
      const accessTokenEnc = reseal(row.accessTokenEnc, 'access_token');
      const resealed = Number(apiSecretEnc !== row.apiSecretEnc) + Number(accessTokenEnc !== row.accessTokenEnc);
      if (resealed === 0) return;
      await tx.db
        .update(brokerAccounts)
        .set({ apiSecretEnc, accessTokenEnc })
        .where(eq(brokerAccounts.tenantId, tx.tenantId));
      await auditIn(tx.client, tx.tenantId, null, 'secrets.rotated', { keyId: current, resealed });
      out.push({ tenantId: tx.tenantId, resealed });
    });
  return out;
}
