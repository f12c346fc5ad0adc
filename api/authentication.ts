/**
 * Who is calling: a qs_session token from `Authorization: Bearer` or the qs_session cookie.
 * How it came matters: a cookie rides along on any request the browser makes, so writes
 * authenticated by the cookie also need the CSRF token (double-submit, csrf-csrf); a bearer
 * token is never sent by a browser on its own, so it needs none.
 */
import { createHmac } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import { SessionClaims, SESSION_COOKIE, verifySession } from './session';
import { parseCookies } from './cookies';
import { ApiProblem } from './problem';

export const CSRF_COOKIE = 'qs_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export type AuthedRequest = Request & {
  session?: SessionClaims;
  sessionVia?: 'bearer' | 'cookie';
  /** The token the session came with (a logout revokes it). */
  sessionToken?: string;
  cookies?: Record<string, string>;
};

export function sessionOf(req: AuthedRequest): SessionClaims {
  if (!req.session) throw new Error('route mounted without authentication');
  return req.session;
}

export const loggedOut = () => new ApiProblem(401, 'unauthenticated', 'this session was logged out: log in again');

/**
 * Reads the session from the Bearer header or the qs_session cookie; 401 when there is none, or when
 * `isRevoked` says the token was logged out.
 */
export function requireSession(secret: string, isRevoked?: (token: string) => Promise<boolean>) {
  return (req: AuthedRequest, _res: Response, next: NextFunction): void => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = (req.cookies ?? parseCookies(req.headers.cookie))[SESSION_COOKIE];
    const token = bearer ?? cookie ?? '';
    const claims = verifySession(secret, token);
    if (!claims) {
      next(new ApiProblem(401, 'unauthenticated', 'log in first (POST /api/v1/auth/login)'));
      return;
    }
    const accept = () => {
      req.session = claims;
      req.sessionVia = bearer === undefined ? 'cookie' : 'bearer';
      req.sessionToken = token;
      next();
    };
    if (!isRevoked) return accept();
    isRevoked(token).then((revoked) => (revoked ? next(loggedOut()) : accept()), next);
  };
}

export function createCsrf(sessionSecret: string) {
  // Its own key, derived: a CSRF token can never be replayed as a session MAC or the reverse.
  const csrfSecret = createHmac('sha256', sessionSecret).update('qs csrf').digest('base64url');
  const csrf = doubleCsrf({
    getSecret: () => csrfSecret,
    // Bound to the session cookie: a token minted for one session is refused for another.
    getSessionIdentifier: (req) => parseCookies(req.headers.cookie)[SESSION_COOKIE] ?? '',
    cookieName: CSRF_COOKIE,
    cookieOptions: { sameSite: 'strict', path: '/', secure: false, httpOnly: true },
    getCsrfTokenFromRequest: (req) => req.headers[CSRF_HEADER],
    skipCsrfProtection: (req) => (req as AuthedRequest).sessionVia !== 'cookie',
    errorConfig: {
      statusCode: 403,
      message: 'send the CSRF token (GET …/csrf) in X-CSRF-Token',
      code: 'EBADCSRFTOKEN',
    },
  });
  return { protect: csrf.doubleCsrfProtection, issue: csrf.generateCsrfToken };
}

export type CsrfIssuer = ReturnType<typeof createCsrf>['issue'];
