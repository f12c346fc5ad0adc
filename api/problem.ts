/**
 * Errors as application/problem+json (RFC 9457): `type` stays "about:blank" (the status says
 * what happened), `title` is the status phrase, `code` a stable machine name, `detail` for a
 * person, and for validation failures `errors` with each field's path. Never a stack trace or
 * an internal name.
 */
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

export interface FieldError {
  /** Where the bad value was: `body.legs.0.lots`, `query.limit`, `params.slug`. */
  field: string;
  message: string;
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? code);
    this.name = 'ApiProblem';
  }
}

export function sendProblem(res: Response, p: Omit<ApiProblem, 'name' | 'message' | 'stack'>): void {
  res
    .status(p.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: STATUS_CODES[p.status] ?? 'Error',
        status: p.status,
        code: p.code,
        ...(p.detail === undefined ? {} : { detail: p.detail }),
        ...(p.errors === undefined ? {} : { errors: p.errors }),
      }),
    );
}

export const notFound = () => new ApiProblem(404, 'not_found', 'no such resource');
export const forbidden = (detail = 'your role may not do this') => new ApiProblem(403, 'forbidden', detail);
