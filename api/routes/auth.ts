/**
 * POST /api/v1/auth/login, GET /api/v1/auth/me. Wrong credentials: one generic 401, in the same
 * time for unknown users (db/users.ts). Failures back off per account and per client address
 * (db/login-throttle.ts, shared by every API process): 429 with Retry-After.
 */
import { Router, Request, Response, NextFunction } from 'express';
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
import { issueSession, verifySession, SessionClaims, SESSION_COOKIE, SESSION_TTL_SECONDS } from '../session';
import { validationError } from '../validation';
import { jsonBody, objectBody } from '../json-body';
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

export type AuthedRequest = Request & { session?: SessionClaims };

/** Reads the session from the qs_session cookie or an `Authorization: Bearer` header. */
export function requireSession(secret: string) {
  return (req: AuthedRequest, res: Response, next: NextFunction) => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([k]) => k === SESSION_COOKIE)?.[1];
    const claims = verifySession(secret, bearer ?? cookie ?? '');
    if (!claims) {
      res.status(401).json({ error: 'unauthenticated', message: 'log in first (POST /api/v1/auth/login)' });
      return;
    }
    req.session = claims;
    next();
  };
}

function tooManyAttempts(res: Response, waitMs: number): void {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  res.set('Retry-After', String(seconds));
  res.status(429).json({ error: 'too_many_attempts', message: `too many failed logins: try again in ${seconds} s` });
}

export function authRoutes(deps: { pool: Pool; sessionSecret: string; metrics: Metrics }): Router {
  const r = Router();
  // The first unknown-user login must not be the one that pays for making the dummy hash.
  void dummyPasswordHash();
  r.post('/api/v1/auth/login', jsonBody, async (req: Request, res: Response) => {
    const raw = objectBody(req.body);
    if (!raw) {
      res.status(400).json({ error: 'bad_request', message: 'the body must be a JSON object' });
      return;
    }
    const body = loginBody.safeParse(raw);
    if (!body.success) {
      res.status(400).json(validationError(body.error));
      return;
    }
    const tenant = body.data.tenant.toLowerCase();
    const account: ThrottleKey = {
      scope: 'account',
      value: `${tenant}/${body.data.email.trim().toLowerCase()}`,
      policy: ACCOUNT_THROTTLE,
    };
    const client: ThrottleKey = { scope: 'client', value: req.ip ?? 'unknown', policy: CLIENT_THROTTLE };
    const wait = await loginRetryAfterMs(deps.pool, [account, client]);
    if (wait > 0) {
      deps.metrics.loginThrottled.inc();
      tooManyAttempts(res, wait);
      return;
    }
    const match = await authenticate(deps.pool, { ...body.data, tenant });
    if (!match) {
      deps.metrics.loginFailures.inc();
      await recordLoginFailure(deps.pool, [account, client]);
      res.status(401).json({ error: 'invalid_credentials', message: 'tenant, email or password is wrong' });
      return;
    }
    await clearLoginFailures(deps.pool, account);
    const { tenant: t, user } = match;
    await audit(deps.pool, t.id, user.id, 'user.login', { email: user.email });
    const token = issueSession(deps.sessionSecret, { userId: user.id, tenantId: t.id, role: user.role });
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      maxAge: SESSION_TTL_SECONDS * 1000,
    });
    res.json({
      token,
      user: { id: user.id, email: user.email, role: user.role },
      tenant: { id: t.id, slug: t.slug, name: t.name },
    });
  });
  r.get('/api/v1/auth/me', requireSession(deps.sessionSecret), (req: AuthedRequest, res) => {
    res.json({ session: req.session });
  });
  return r;
}
