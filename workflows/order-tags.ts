/**
 * Deterministic broker tags. Kite has no client order id: the tag (≤ 20 alphanumeric
 * characters) is our only idempotency handle, so it is derived from the workflow id (the
 * business key `order/<tenant>/<decision>`, not the run id: a new run of the same business
 * key must find the same orders), the purpose, the leg and the attempt.
 *
 * Shape (18 characters): 'Q' + 14 base-36 hash characters + purpose + leg + attempt,
 * e.g. Q0k3x…E10 = entry order of leg 1, attempt 0. Pure: runs inside workflows.
 */
export type TagPurpose = 'E' | 'U';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;

/** FNV-1a over UTF-16 code units, 64 bits (BigInt: exact and deterministic everywhere). */
function fnv1a64(text: string, salt: string): bigint {
  let h = FNV_OFFSET;
  const s = `${salt}\u0000${text}`;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * FNV_PRIME) & MASK;
  }
  return h;
}

/** 14 base-36 characters (~72 bits) from two independently salted 64-bit hashes. */
export function workflowTagStem(workflowId: string): string {
  const a = fnv1a64(workflowId, 'qs-tag-a').toString(36).padStart(13, '0');
  const b = fnv1a64(workflowId, 'qs-tag-b').toString(36).padStart(13, '0');
  return (a.slice(-7) + b.slice(-7)).toUpperCase();
}

export function orderTag(workflowId: string, purpose: TagPurpose, leg: number, attempt = 0): string {
  if (!Number.isInteger(leg) || leg < 0 || leg > 35) throw new RangeError(`leg index out of range: ${leg}`);
  if (!Number.isInteger(attempt) || attempt < 0 || attempt > 35)
    throw new RangeError(`attempt out of range: ${attempt}`);
  return (
    `Q${workflowTagStem(workflowId)}${purpose}` +
    `${leg.toString(36).toUpperCase()}${attempt.toString(36).toUpperCase()}`
  );
}

export const TAG_PATTERN = /^[A-Za-z0-9]{1,20}$/;

/** A tag we could have made (used by reconciliation to tell our orders from external ones). */
export function isPlatformTag(tag: string | null | undefined): boolean {
  return typeof tag === 'string' && /^Q[0-9A-Z]{14}[EU][0-9A-Z][0-9A-Z]$/.test(tag);
}
