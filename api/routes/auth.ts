/** POST /api/v1/auth/login, GET /api/v1/auth/me. Wrong credentials: one generic 401. */
import { Router, Request, Response, NextFunction } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { checkPassword, tenantBySlug } from '../../db/tenants';
import { audit } from '../../db/audit';
import { issueSession, verifySession, SessionClaims, SESSION_COOKIE, SESSION_TTL_SECONDS } from '../session';
import { validationError } from '../validation';

const loginBody = z.object({
  tenant: z.string().min(1, 'required'),
  email: z.string().min(1, 'required'),
  password: z.string().min(1, 'required'),
});

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

export function authRoutes(deps: { pool: Pool; sessionSecret: string }): Router {
  const r = Router();
  r.post('/api/v1/auth/login', async (req, res) => {
    const body = loginBody.safeParse(req.body ?? {});
    if (!body.success) {
      res.status(400).json(validationError(body.error));
      return;
    }
    const { tenant: slug, email, password } = body.data;
    const tenant = await tenantBySlug(deps.pool, slug);
    const user =
      tenant && tenant.status === 'active' ? await checkPassword(deps.pool, tenant.id, email, password) : undefined;
    if (!tenant || !user) {
      res.status(401).json({ error: 'invalid_credentials', message: 'tenant, email or password is wrong' });
      return;
    }
    await audit(deps.pool, tenant.id, user.id, 'user.login', { email: user.email });
    const token = issueSession(deps.sessionSecret, { userId: user.id, tenantId: tenant.id, role: user.role });
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      maxAge: SESSION_TTL_SECONDS * 1000,
    });
    res.json({
      token,
      user: { id: user.id, email: user.email, role: user.role },
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    });
  });
  r.get('/api/v1/auth/me', requireSession(deps.sessionSecret), (req: AuthedRequest, res) => {
    res.json({ session: req.session });
  });
  return r;
}
