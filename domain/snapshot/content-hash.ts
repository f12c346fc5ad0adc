/**
 * Content ids for plain JSON values: FNV-1a 64-bit over the UTF-8 bytes of a canonical JSON
 * text. Pure arithmetic on 16-bit limbs, so it runs in the workflow sandbox (no crypto module,
 * no BigInt) and gives the same id in every process. It names content for storage and
 * read-back; it is not a defence against someone crafting collisions.
 *
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers as
 * JSON.stringify writes them (the shortest round-trip form, the same in every engine), −0 as 0,
 * properties whose value is undefined left out (as JSON.stringify does). A non-finite number, a
 * bigint, a function or an undefined array element has no JSON form and throws
 * NonCanonicalValueError naming its path, so a NaN can never hide inside an id.
 */

export class NonCanonicalValueError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'NonCanonicalValueError';
  }
}

export function canonicalJson(value: unknown): string {
  const keys = new Set<string>();
  if (!collectKeys(value, keys)) check(value, []);
  // With an array replacer JSON.stringify writes every object's properties in the array's
  // order (and skips absent ones), so the sorted union of all keys gives sorted objects at
  // native speed. collectKeys has already refused everything JSON.stringify would bend.
  return JSON.stringify(value, [...keys].sort());
}

/** Throws NonCanonicalValueError, naming the path, unless `value` is plain finite JSON. */
export function assertPlainJson(value: unknown): void {
  if (!collectKeys(value, new Set())) check(value, []);
}

/** Gathers every object key; false at the first value without a faithful JSON form. */
function collectKeys(value: unknown, keys: Set<string>): boolean {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value);
    case 'string':
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) if (item === undefined || !collectKeys(item, keys)) return false;
        return true;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      const record = value as Record<string, unknown>;
      for (const k in record) {
        if (!Object.prototype.hasOwnProperty.call(record, k)) continue;
        keys.add(k);
        if (record[k] !== undefined && !collectKeys(record[k], keys)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/** The slow walk that names the offending path (only run once collectKeys has failed). */
function check(value: unknown, path: (string | number)[]): void {
  const at = () => `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new NonCanonicalValueError(at(), `non-finite number ${String(value)}`);
  if (typeof value === 'object' && value !== null) {
    if (Array.isArray(value)) {
      value.forEach((item: unknown, i) => {
        path.push(i);
        if (item === undefined) throw new NonCanonicalValueError(at(), 'undefined array element');
        check(item, path);
        path.pop();
      });
      return;
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
      throw new NonCanonicalValueError(at(), 'an object with toJSON (e.g. a Date) is not plain JSON');
    for (const [k, v] of Object.entries(value)) {
      path.push(k);
      if (v !== undefined) check(v, path);
      path.pop();
    }
    return;
  }
  if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean')
    throw new NonCanonicalValueError(at(), `a ${typeof value} has no JSON form`);
}

/** FNV-1a 64-bit of the UTF-8 encoding of `text`, as 16 lowercase hex digits. */
export function fnv1a64(text: string): string {
  // Offset basis 0xcbf29ce484222325 as 16-bit limbs, least significant first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const mix = (byte: number): void => {
    h0 ^= byte;
    // × prime 0x100000001b3 = 2^40 + 0x1b3 (mod 2^64): limb i × 0x1b3, plus limbs 0 and 1
    // shifted by 40 bits (two limbs and 8 bits). Every partial sum stays below 2^27.
    let o0 = h0 * 0x1b3;
    let o1 = h1 * 0x1b3 + (o0 >>> 16);
    let o2 = h2 * 0x1b3 + (h0 << 8) + (o1 >>> 16);
    const o3 = h3 * 0x1b3 + (h1 << 8) + (o2 >>> 16);
    o0 &= 0xffff;
    o1 &= 0xffff;
    o2 &= 0xffff;
    h0 = o0;
    h1 = o1;
    h2 = o2;
    h3 = o3 & 0xffff;
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    // A surrogate pair is one code point; a lone surrogate is encoded as U+FFFD, like TextEncoder.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) mix(c);
    else if (c < 0x800) {
      mix(0xc0 | (c >> 6));
      mix(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      mix(0xe0 | (c >> 12));
      mix(0x80 | ((c >> 6) & 0x3f));
      mix(0x80 | (c & 0x3f));
    } else {
      mix(0xf0 | (c >> 18));
      mix(0x80 | ((c >> 12) & 0x3f));
      mix(0x80 | ((c >> 6) & 0x3f));
      mix(0x80 | (c & 0x3f));
    }
  }
  const hex = (x: number) => x.toString(16).padStart(4, '0');
  return hex(h3) + hex(h2) + hex(h1) + hex(h0);
}

/** The content id of a JSON value: fnv1a64 of its canonical JSON. */
export function contentHash(value: unknown): string {
  return fnv1a64(canonicalJson(value));
}
