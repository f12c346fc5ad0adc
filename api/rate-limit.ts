/**
 * Request rate limits per client address and per tenant, counted in Postgres so they hold across
 * API nodes (db/rate-limits.ts). Over a limit: 429 with Retry-After. Every limited answer carries
 * the IETF RateLimit-Policy / RateLimit headers of its tightest policy.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import { countHits } from '../db/rate-limits';
import { sessionDigest } from '../db/session-revocations';
import { loggedOut } from './authentication';
import { ApiProblem } from './problem';
import type { TenantRequest } from './tenant-scope';

export interface RatePolicy {
  name: string;
  limit: number;
  windowSeconds: number;
}

export const RATE_POLICIES = {
  /** Any route but the probes, per client address. */
  client: { name: 'client', limit: 1200, windowSeconds: 60 },
  /** Every tenant route, per tenant (all its users and clients together). */
  tenant: { name: 'tenant', limit: 20_000, windowSeconds: 3600 },
  /** Login attempts per client address, on top of the failure backoff. */
  login: { name: 'login', limit: 30, windowSeconds: 60 },
  /** Invitation acceptance and password resets per client address. */
  reset: { name: 'reset', limit: 10, windowSeconds: 3600 },
  /** Decide on demand, per tenant (the seed's gateway limit on /pipeline/decide). */
  decide: { name: 'decide', limit: 600, windowSeconds: 3600 },
} as const satisfies Record<string, RatePolicy>;

type Scope = 'client' | 'tenant';

type Tightest = { policy: RatePolicy; remaining: number; resetSeconds: number };

export interface RateCheck {
  policy: RatePolicy;
  scope: Scope;
}

type LimitedRequest = TenantRequest & { rateTightest?: Tightest };

const keyOf = (req: LimitedRequest, { policy, scope }: RateCheck) =>
  `${policy.name}|${scope === 'tenant' ? `tenant:${req.tenant?.id ?? '?'}` : `client:${req.ip ?? 'unknown'}`}`;

/**
 * Counts the request against `checks` in one round trip (db/rate-limits countHits), in their order:
 * the first one past its limit answers 429 and the ones after it are not counted, as if each were
 * its own middleware. With `revocationGate` (the index of the first check after the session would
 * have been checked), the same statement looks up whether the request's session was logged out: if
 * so, the checks before the gate are still counted (a 429 from them comes first), the rest are not,
 * and the answer is 401.
 */
async function count(
  pool: Pool,
  req: LimitedRequest,
  res: Response,
  checks: readonly RateCheck[],
  revocationGate?: number,
): Promise<void> {
  const session =
    revocationGate !== undefined && req.sessionToken
      ? { digest: sessionDigest(req.sessionToken), gate: revocationGate }
      : undefined;
  const { counts, revoked } = await countHits(
    pool,
    checks.map((c) => ({ key: keyOf(req, c), windowSeconds: c.policy.windowSeconds, limit: c.policy.limit })),
    session,
  );
  for (const [i, { policy }] of checks.entries()) {
    const counted = counts[i];
    if (!counted) break;
    const remaining = Math.max(0, policy.limit - counted.hits);
    const resetSeconds = Math.max(1, Math.ceil(counted.resetMs / 1000));
    const shown = req.rateTightest;
    if (!shown || remaining < shown.remaining) {
      req.rateTightest = { policy, remaining, resetSeconds };
      res.set('RateLimit-Policy', `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`);
      res.set('RateLimit', `"${policy.name}";r=${remaining};t=${resetSeconds}`);
    }
    if (counted.hits > policy.limit) {
      res.set('Retry-After', String(resetSeconds));
      throw new ApiProblem(
        429,
        'rate_limited',
        `too many requests (${policy.name} limit): try again in ${resetSeconds} s`,
      );
    }
  }
  if (session && revoked) throw loggedOut();
}

/**
 * A middleware counting every request against `checks`, in one statement. `revocationGate`: this
 * statement also checks that the session was not logged out (see count), for a chain whose
 * requireSession left that to it.
 */
export function rateLimits(pool: Pool, checks: readonly RateCheck[], revocationGate?: number) {
  return async (req: LimitedRequest, res: Response, next: NextFunction) => {
    await count(pool, req, res, checks, revocationGate);
    next();
  };
}

/**
 * For a chain that counts the client together with its tenant after the tenant is known: a request
 * refused before that (no session, no such tenant) is counted against its client here, and a client
 * past its limit gets the 429 instead of the refusal, as when the client was counted first; a
 * logged-out session gets its 401 before a tenant's 404, as when the session was checked first.
 */
export function countClientOnRefusal(pool: Pool, clientChecks: readonly RateCheck[]) {
  return (err: unknown, req: LimitedRequest, res: Response, next: NextFunction) => {
    count(pool, req, res, clientChecks, clientChecks.length).then(
      () => next(err),
      (limited: unknown) => next(limited),
    );
  };
}

export type RateLimitedRequest = Request & { rateTightest?: Tightest };
