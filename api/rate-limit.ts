/**
 * Request rate limits per client address and per tenant, counted in Postgres so they hold across
 * API nodes (db/rate-limits.ts). Over a limit: 429 with Retry-After. Every limited answer carries
 * the IETF RateLimit-Policy / RateLimit headers of its tightest policy.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Pool } from 'pg';
import { countHit } from '../db/rate-limits';
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

export function rateLimit(pool: Pool, policy: RatePolicy, scope: Scope) {
  return async (req: TenantRequest & { rateTightest?: Tightest }, res: Response, next: NextFunction) => {
    const who = scope === 'tenant' ? `tenant:${req.tenant?.id ?? '?'}` : `client:${req.ip ?? 'unknown'}`;
    const { hits, resetMs } = await countHit(pool, `${policy.name}|${who}`, policy.windowSeconds);
    const remaining = Math.max(0, policy.limit - hits);
    const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    const shown = req.rateTightest;
    if (!shown || remaining < shown.remaining) {
      req.rateTightest = { policy, remaining, resetSeconds };
      res.set('RateLimit-Policy', `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`);
      res.set('RateLimit', `"${policy.name}";r=${remaining};t=${resetSeconds}`);
    }
    if (hits > policy.limit) {
      res.set('Retry-After', String(resetSeconds));
      throw new ApiProblem(
        429,
        'rate_limited',
        `too many requests (${policy.name} limit): try again in ${resetSeconds} s`,
      );
    }
    next();
  };
}

export type RateLimitedRequest = Request & { rateTightest?: Tightest };
