/** One shape for every 400: which fields are wrong and why. */
import type { ZodError } from 'zod';

export function validationError(err: ZodError) {
  const fields = err.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  return { error: 'bad_request', message: fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields };
}
