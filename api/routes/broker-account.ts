/**
 * The tenant's Kite Connect account through the API, on the CLI's modules (`qs broker kite …`):
 * setup (admins: the API key, and the secret sealed at rest, never returned), the daily login URL,
 * the request-token exchange for the day's session, and the session's status. Kite's refusals are
 * 409s naming the cause; an API without QS_SECRETS_KEY answers 503 to what needs it.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { BrokerAuthError, BrokerUnavailableError } from '../../broker/errors';
import { checkMarketProtection } from '../../broker/kite/kite-broker';
import { createTenantSession, KITE_API_ROOT, tenantLoginUrl } from '../../broker/kite/session';
import { brokerSessionVerdict, kiteAccountRow, saveKiteAccount } from '../../db/broker-credentials';
import type { KeyProvider } from '../../db/secret-box';
import { withTenant } from '../../db/tenant';
import { storableText } from '../../db/text';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ADMINS, ANY_ROLE } from '../roles';
import { ApiProblem, notFound } from '../problem';
import type { TenantDeps } from './tenant';

const token = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'letters, digits, _ or - (1–128)');
const httpUrl = z
  .url({ protocol: /^https?$/, message: 'an http(s) URL' })
  .max(500)
  .transform((u) => u.replace(/\/$/, ''));

const setupBody = z.strictObject({
  apiKey: token,
  /** Absent: keep the stored secret. */
  apiSecret: storableText(200).min(1).optional(),
  baseUrl: httpUrl.default(KITE_API_ROOT),
  loginUrl: httpUrl.optional(),
  algoId: token.optional(),
  marketProtection: z
    .number()
    .refine((p) => {
      try {
        checkMarketProtection(p);
        return true;
      } catch {
        return false;
      }
    }, '-1 (automatic) or a percentage 0 < p <= 100')
    .optional(),
  timeoutMs: z.number().int().min(100).max(60_000).optional(),
});

async function brokerCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BrokerAuthError) throw new ApiProblem(409, 'broker_refused', e.message);
    if (e instanceof BrokerUnavailableError) throw new ApiProblem(503, 'broker_unavailable', e.message);
    throw e;
  }
}

export function brokerAccountRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  const path = `${TENANT_PREFIX}/broker/kite`;
  const tag = 'broker';
  const keys = (): KeyProvider => {
    if (!deps.secretsKeys)
      throw new ApiProblem(503, 'unavailable', 'broker secrets cannot be sealed here: QS_SECRETS_KEY is not set');
    return deps.secretsKeys;
  };

  table.add(
    router,
    {
      method: 'post',
      path: `${path}/setup`,
      summary: 'Create or update the Kite account (the API secret is sealed at rest and never returned)',
      tag,
      access: ADMINS,
      body: setupBody,
    },
    async ({ tenant, body }) => {
      const { apiSecret, ...settings } = body;
      const sealing = keys();
      await withTenant(deps.pool, tenant!.id, (tx) => saveKiteAccount(tx, sealing, settings, apiSecret));
      return { broker: 'kite', settings, secretStored: apiSecret !== undefined };
    },
  );

  table.add(
    router,
    {
      method: 'get',
      path: `${path}/login-url`,
      summary: 'Where the account holder logs in today',
      tag,
      access: ANY_ROLE,
    },
    async ({ tenant }) => ({ loginUrl: await brokerCall(() => tenantLoginUrl(deps.pool, tenant!.id)) }),
  );

  table.add(
    router,
    {
      method: 'post',
      path: `${path}/session`,
      summary: "Exchange the login's request token for the day's session (sealed at rest; expires 06:00 IST)",
      tag,
      access: ANY_ROLE,
      body: z.strictObject({ requestToken: token }),
      errors: [409, 503],
    },
    async ({ tenant, body }) => {
      const sealing = keys();
      const s = await brokerCall(() => createTenantSession(deps.pool, sealing, tenant!.id, body.requestToken));
      return { userId: s.userId ?? null, issuedAt: s.issuedAt, expiresAt: s.expiresAt };
    },
  );

  table.add(
    router,
    {
      method: 'get',
      path: `${path}/status`,
      summary: 'Whether the Kite session can trade now, and until when (no secret is returned)',
      tag,
      access: ANY_ROLE,
    },
    async ({ tenant }) => {
      const row = await withTenant(deps.pool, tenant!.id, kiteAccountRow);
      if (!row) throw notFound();
      const v = await brokerSessionVerdict(deps.pool, tenant!.id);
      const { apiKey, userId, algoId, marketProtection } = row.settings;
      return {
        live: v.live,
        reason: v.reason,
        expiresAt: v.expiresAt,
        sessionStatus: row.sessionStatus,
        apiKey: apiKey ?? null,
        userId: userId ?? null,
        algoId: algoId ?? null,
        marketProtection: marketProtection ?? -1,
      };
    },
  );
}
