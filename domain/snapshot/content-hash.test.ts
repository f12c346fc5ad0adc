import { canonicalJson, contentHash, fnv1a64, NonCanonicalValueError } from './content-hash';

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64-bit test vectors', () => {
    // Landon Curt Noll's FNV test suite: "" → offset basis, "a", "foobar".
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });

  it('hashes UTF-8 bytes (values recomputed with Python over str.encode("utf-8"))', () => {
    expect(fnv1a64('NIFTY ₹ 25000')).toBe('8f40330e0903f175');
    expect(fnv1a64('\u{1F600}')).toBe('feff073875020288');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined properties, writes −0 as 0', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, -0, 'x'], c: null, e: undefined } })).toBe(
      '{"a":{"c":null,"d":[1,0,"x"]},"b":1}',
    );
  });

  it('gives equal ids to equal content whatever the key order', () => {
    expect(contentHash({ x: 1.5, y: [true, false] })).toBe(contentHash({ y: [true, false], x: 1.5 }));
    expect(contentHash({ x: 1.5 })).not.toBe(contentHash({ x: 1.5000001 }));
    expect(contentHash({ a: 1 })).toBe('9c3e82dd6fcae8b1');
  });

  it('refuses values JSON cannot carry, naming the path', () => {
    expect(() => canonicalJson({ chain: { quotes: [{ iv: Number.NaN }] } })).toThrow(NonCanonicalValueError);
    expect(() => canonicalJson({ chain: { quotes: [{ iv: Number.NaN }] } })).toThrow('$.chain.quotes[0].iv');
    expect(() => canonicalJson({ v: Infinity })).toThrow('non-finite');
    expect(() => canonicalJson([undefined])).toThrow('undefined array element');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('function');
    expect(() => canonicalJson({ when: [new Date(0)] })).toThrow('$.when[0]');
  });
});
