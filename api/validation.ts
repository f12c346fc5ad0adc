/** One shape for every 400: which fields are wrong (their path) and why. */
import type { z, ZodError } from 'zod';
import { ApiProblem } from './problem';

export function validationProblem(err: ZodError, where?: string): ApiProblem {
  const errors = err.issues.map((i) => ({
    field: [where, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
  return new ApiProblem(400, 'bad_request', errors.map((f) => `${f.field}: ${f.message}`).join('; '), errors);
}

/** The parsed value, or a 400 naming each bad field under `where` (body, query, params). */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationProblem(r.error, where);
  return r.data;
}
