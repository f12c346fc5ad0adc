/**
 * POST /api/v1/auth/login, GET /api/v1/auth/me, POST /api/v1/auth/logout (the token is revoked:
 * db/session-revocations.ts). Wrong credentials: one generic 401, in the same time for unknown users
 * (db/users.ts). Failures back off per account and per client address
 * (db/login-throttle.ts, shared by every API process): 429 with Retry-After.
 */
import { randomBytes } from 'node:crypto';
import type { Response, Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { authenticate, dummyPasswordHash } from '../../db/users';
import { audit } from '../../db/audit';
import { identifierText, storableText } from '../../db/text';
import {
  clearLoginFailures,
  loginRetryAfterMs,
  recordLoginFailure,
  ThrottleKey,
  ThrottlePolicy,
} from '../../db/login-throttle';
import { issueSession, SESSION_COOKIE, SESSION_TTL_SECONDS } from '../session';
import { CSRF_COOKIE, type AuthedRequest } from '../authentication';
import { revokeSession, sessionDigest } from '../../db/session-revocations';
import { ApiProblem } from '../problem';
import type { RouteTable } from '../route-table';
import type { Metrics } from '../metrics';

const loginBody = z.object({
  tenant: identifierText(100).min(1, 'required'),
  email: identifierText(320).min(1, 'required'),
  password: storableText(1024).min(1, 'required'),
});

/** An account: 5 free failures, then 1 s, 2 s, 4 s … up to 15 min between tries. */
export const ACCOUNT_THROTTLE: ThrottlePolicy = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 };
/** A client address tries many accounts (or sits behind a shared NAT): more room, same curve. */
export const CLIENT_THROTTLE: ThrottlePolicy = { freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60_000 };

function tooManyAttempts(res: Response, waitMs: number): ApiProblem {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  res.set('Retry-After', String(seconds));
  return new ApiProblem(429, 'too_many_attempts', `too many failed logins: try again in ${seconds} s`);
}

export function authRoutes(
  table: RouteTable,
  router: Router,
  deps: { pool: Pool; sessionSecret: string; metrics: Metrics; endSessionSockets?: (tokenDigest: string) => void },
): void {
  // The first unknown-user login must not be the one that pays for making the dummy hash.
  void dummyPasswordHash();
  table.add(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/login',
      summary: 'Log in: a qs_session cookie and the same token for Authorization: Bearer',
      tag: 'auth',
      access: 'public',
      body: loginBody,
      errors: [401, 413, 415],
      rateLimit: 'login',
    },
    async ({ body, req, res }) => {
      const tenant = body.tenant.toLowerCase();
      const account: ThrottleKey = {
        scope: 'account',
        value: `${tenant}/${body.email.trim().toLowerCase()}`,
        policy: ACCOUNT_THROTTLE,
      };
      const client: ThrottleKey = { scope: 'client', value: req.ip ?? 'unknown', policy: CLIENT_THROTTLE };
      const wait = await loginRetryAfterMs(deps.pool, [account, client]);
      if (wait > 0) {
        deps.metrics.loginThrottled.inc();
        throw tooManyAttempts(res, wait);
      }
      const match = await authenticate(deps.pool, { ...body, tenant });
      if (!match) {
        deps.metrics.loginFailures.inc();
        await recordLoginFailure(deps.pool, [account, client]);
        throw new ApiProblem(401, 'invalid_credentials', 'tenant, email or password is wrong');
      }
      await clearLoginFailures(deps.pool, account);
      const { tenant: t, user } = match;
      await audit(deps.pool, t.id, user.id, 'user.login', { email: user.email });
      const token = issueSession(deps.sessionSecret, {
        userId: user.id,
        tenantId: t.id,
        role: user.role,
        sid: randomBytes(12).toString('base64url'),
      });
      res.cookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        maxAge: SESSION_TTL_SECONDS * 1000,
      });
      return {
        token,
        user: { id: user.id, email: user.email, role: user.role },
        tenant: { id: t.id, slug: t.slug, name: t.name },
      };
    },
  );
  table.add(
    router,
    { method: 'get', path: '/api/v1/auth/me', summary: "The caller's session", tag: 'auth', access: 'session' },
    ({ session }) => ({ session }),
  );
  table.add(
    router,
    {
      method: 'post',
      path: '/api/v1/auth/logout',
      summary:
        'Log out: the session token (cookie or bearer) is refused from now on by every API node, ' +
        'and the cookies are cleared',
      tag: 'auth',
      access: 'session',
    },
    async ({ session, req, res }) => {
      const s = session!;
      const token = (req as AuthedRequest).sessionToken!;
      await revokeSession(deps.pool, token, new Date(s.exp * 1000));
      deps.endSessionSockets?.(sessionDigest(token));
      await audit(deps.pool, s.tenantId, s.userId, 'user.logout', {});
      const options = { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' } as const;
      res.clearCookie(SESSION_COOKIE, options);
      res.clearCookie(CSRF_COOKIE, options);
      return { loggedOut: true };
    },
  );
}
