/**
 * Seeded pseudo-random numbers for domain code. Workflows must replay identically, so nothing
 * here touches Math.random(): every draw comes from an explicit generator whose whole state is
 * four unsigned 32-bit integers (plain JSON, so it can live inside persisted state).
 *
 * Generator: sfc32 (Chris Doty-Humphrey's "small fast chaotic" design), seeded through
 * splitmix32 so that nearby seeds (7, 8, …) give unrelated streams.
 */

/** The full state of a generator; copy it to fork, persist it to resume. */
export interface RngState {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Derive a generator state from any integer seed (or a string, hashed with FNV-1a). */
export function seedState(seed: number | string): RngState {
  let s = typeof seed === 'string' ? hashString(seed) : Math.trunc(seed) >>> 0;
  const a = (s = splitmix32(s));
  const b = (s = splitmix32(s));
  const c = (s = splitmix32(s));
  const d = splitmix32(s) | 1;
  let state: RngState = { a, b, c, d };
  // Discard the first outputs: sfc32 mixes poorly for its first few rounds.
  for (let i = 0; i < 12; i++) state = nextUint32(state)[1];
  return state;
}

/** One sfc32 step: returns the next unsigned 32-bit output and the new state (pure). */
export function nextUint32(st: RngState): [number, RngState] {
  let { a, b, c, d } = st;
  const t = (((a + b) | 0) + d) | 0;
  d = (d + 1) | 0;
  a = b ^ (b >>> 9);
  b = (c + (c << 3)) | 0;
  c = (c << 21) | (c >>> 11);
  c = (c + t) | 0;
  return [t >>> 0, { a: a >>> 0, b: b >>> 0, c: c >>> 0, d: d >>> 0 }];
}

/** Uniform in [0, 1) from a state (pure). */
export function nextFloat(st: RngState): [number, RngState] {
  const [u, s] = nextUint32(st);
  return [u / 4294967296, s];
}

/** FNV-1a 32-bit hash: stable seeds and noise keys from text. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A deterministic uniform in [0, 1) keyed by text: used where a value must be reproducible
 * from data alone (e.g. the volume of one contract at one minute) without threading a stream.
 */
export function hashUniform(key: string): number {
  return splitmix32(hashString(key)) / 4294967296;
}

/**
 * Convenience wrapper over a state for code that draws many numbers in a loop (the simulator).
 * Each instance is local to one call; it is never module-level state.
 */
export class Rng {
  private st: RngState;
  private spare: number | null = null;

  constructor(seed: number | string | RngState) {
    this.st = typeof seed === 'object' ? { ...seed } : seedState(seed);
  }

  /** Snapshot of the generator state (a cached second Box-Muller variate is not included). */
  state(): RngState {
    return { ...this.st };
  }

  /** Uniform in [0, 1). */
  next(): number {
    const [u, s] = nextUint32(this.st);
    this.st = s;
    return u / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Standard normal via Box-Muller; the second variate of each pair is kept for the next call. */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    let u = this.next();
    while (u <= 0) u = this.next(); // log(0) guard
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson count with small mean (Knuth's product method; fine for per-minute jump counts). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A child generator with an independent stream, derived without disturbing this one's order. */
  fork(label: string): Rng {
    const [u] = nextUint32(this.st);
    return new Rng(seedState(hashString(label) ^ u));
  }
}
