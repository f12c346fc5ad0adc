/**
 * Text Postgres can store: no NUL (a text value cannot hold one: error 22021) and no unpaired
 * UTF-16 surrogate (it would be stored as U+FFFD, silently another string). Identifiers (slugs,
 * emails, broker ids) also refuse control characters. Input from outside is checked with these
 * before any query, so bad text is a 400 naming the field, never a database error.
 */
import { z } from 'zod';

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// NUL has its own message in storableText.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u001F\u007F-\u009F]/;

/** Any text up to `max` characters that Postgres stores as given. */
export const storableText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL bytes')
    .refine((s) => !UNPAIRED_SURROGATE.test(s), 'must be valid Unicode text (it has an unpaired surrogate)');

/** A one-line name or id: storable text without control characters. */
export const identifierText = (max: number) =>
  storableText(max).refine((s) => !CONTROL.test(s), 'must not contain control characters');
