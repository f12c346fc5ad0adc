/**
 * The last middleware: every error becomes a problem+json answer with its own status. A client's
 * mistake (4xx: bad JSON, too large, wrong type, a malformed path) is a warn line without a
 * stack; anything else is a server fault, logged at error with its stack, answered 500.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../runtime/logger';
import { ApiProblem, sendProblem } from './problem';

const CLIENT_ERRORS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

type HttpError = Error & { status?: number; statusCode?: number; type?: string; code?: string };

export function errorHandler(log: Logger) {
  return (err: HttpError, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    if (err instanceof ApiProblem) {
      log.warn({ status: err.status, code: err.code, method: req.method, path: req.path }, 'client error');
      sendProblem(res, err);
      return;
    }
    const status = err.status ?? err.statusCode ?? 500;
    if (Number.isInteger(status) && status >= 400 && status < 500) {
      // V8's JSON parse message quotes the body (a password, say): neither answered nor logged.
      const detail = err.type === 'entity.parse.failed' ? 'request body is not valid JSON' : err.message;
      const code = err.code === 'EBADCSRFTOKEN' ? 'csrf_token_invalid' : (CLIENT_ERRORS[status] ?? 'client_error');
      log.warn({ status, type: err.type, method: req.method, path: req.path, reason: detail }, 'client error');
      sendProblem(res, { status, code, detail });
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unhandled API error');
    sendProblem(res, { status: 500, code: 'internal_error' });
  };
}
