/**
 * Every API route is declared once, with its zod schemas for path, query and body and the roles
 * that may call it; the declaration mounts the route (authentication, tenant scope, role, CSRF,
 * validation, in that order) and feeds the OpenAPI document, so the document cannot drift from
 * what is served.
 */
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { UserRole } from '../db/schema/users';
import type { Tenant } from '../db/tenants';
import type { SessionClaims } from './session';
import { AuthedRequest, requireSession } from './authentication';
import { isSessionRevoked } from '../db/session-revocations';
import { tenantScope, TenantRequest } from './tenant-scope';
import { jsonBody } from './json-body';
import { parseOr400 } from './validation';
import { ApiProblem, forbidden } from './problem';
import { countClientOnRefusal, RATE_POLICIES, rateLimits, type RateCheck } from './rate-limit';

export const TENANT_PREFIX = '/t/:slug/api/v1';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** The Express path, e.g. `/t/:slug/api/v1/orders/:tag`. */
  path: string;
  summary: string;
  tag: string;
  /** Who may call: nobody logged in (`public`), any session, or these roles in the tenant. */
  access: 'public' | 'session' | readonly UserRole[];
  params?: P;
  query?: Q;
  body?: B;
  /** Status of a success (200 unless said). */
  status?: number;
  /** Extra error statuses this route answers, for the document. */
  errors?: readonly number[];
  /** A tighter limit per client (login, reset) or per tenant (decide) on top of the usual ones; `none` for probes. */
  rateLimit?: 'none' | 'login' | 'reset' | 'decide';
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  session: SessionClaims | undefined;
  tenant: Tenant | undefined;
  req: Request;
  res: Response;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext {
  pool: Pool;
  sessionSecret: string;
  resolveTenant: (slug: string) => Promise<Tenant | undefined>;
  csrf: RequestHandler;
}

const slugParam = z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/);

export class RouteTable {
  readonly specs: Array<RouteSpec<z.ZodType, z.ZodType, z.ZodType>> = [];
  constructor(private readonly ctx: RouteContext) {}

  /**
   * Mounts `handler`; a value it returns is sent as JSON with the spec's status (undefined: the
   * handler answered itself).
   */
  add<P extends z.ZodType = z.ZodNever, Q extends z.ZodType = z.ZodNever, B extends z.ZodType = z.ZodNever>(
    router: Router,
    spec: RouteSpec<P, Q, B>,
    handler: (input: RouteInput<Out<P>, Out<Q>, Out<B>>) => unknown,
  ): void {
    this.specs.push(spec as unknown as RouteSpec<z.ZodType, z.ZodType, z.ZodType>);
    const chain: RequestHandler[] = [];
    const scoped = spec.path.startsWith('/t/:slug/');
    const limited = spec.rateLimit !== 'none';
    // Rate limits are counted in one statement per request: a tenant route counts its client together
    // with its tenant once the tenant is known (and its client alone when refused before that).
    const perClient: RateCheck[] = [];
    if (limited) perClient.push({ policy: RATE_POLICIES.client, scope: 'client' });
    if (spec.rateLimit === 'login' || spec.rateLimit === 'reset')
      perClient.push({ policy: RATE_POLICIES[spec.rateLimit], scope: 'client' });
    if (perClient.length > 0 && !scoped) chain.push(rateLimits(this.ctx.pool, perClient) as RequestHandler);
    // A tenant route's rate-limit statement also checks that the session was not logged out.
    const revocationInLimits = scoped && limited && spec.access !== 'public';
    if (spec.access !== 'public')
      chain.push(
        requireSession(
          this.ctx.sessionSecret,
          revocationInLimits ? undefined : (t) => isSessionRevoked(this.ctx.pool, t),
        ) as RequestHandler,
      );
    if (scoped) {
      chain.push((req, _res, next) => {
        // A malformed slug is a tenant that does not exist, not a validation error.
        next(slugParam.safeParse(req.params.slug).success ? undefined : new ApiProblem(404, 'not_found'));
      });
      chain.push(tenantScope(this.ctx.resolveTenant) as RequestHandler);
      if (limited) {
        const perTenant: RateCheck[] = [{ policy: RATE_POLICIES.tenant, scope: 'tenant' }];
        if (spec.rateLimit === 'decide') perTenant.push({ policy: RATE_POLICIES.decide, scope: 'tenant' });
        chain.push(countClientOnRefusal(this.ctx.pool, perClient) as unknown as RequestHandler);
        chain.push(
          rateLimits(this.ctx.pool, [...perClient, ...perTenant], revocationInLimits ? perClient.length : undefined),
        );
      }
    }
    const roles = spec.access;
    if (Array.isArray(roles))
      chain.push((req: AuthedRequest, _res, next) =>
        next(req.session && roles.includes(req.session.role as UserRole) ? undefined : forbidden()),
      );
    if (spec.method !== 'get' && spec.access !== 'public') chain.push(this.ctx.csrf);
    if (spec.body) chain.push(...(jsonBody as RequestHandler[]));
    const status = spec.status ?? 200;
    chain.push(async (req: TenantRequest, res: Response, next: NextFunction) => {
      const { slug: _slug, ...params } = req.params as Record<string, string>;
      const input = {
        params: spec.params ? parseOr400(spec.params, params, 'params') : undefined,
        query: spec.query ? parseOr400(spec.query, { ...req.query }, 'query') : undefined,
        body: spec.body ? parseOr400(spec.body, req.body, 'body') : undefined,
        session: req.session,
        tenant: req.tenant,
        req,
        res,
      } as RouteInput<Out<P>, Out<Q>, Out<B>>;
      const result = await handler(input);
      if (result !== undefined && !res.headersSent) res.status(status).json(result);
      else if (!res.headersSent) next();
    });
    router[spec.method](spec.path, ...chain);
  }
}
