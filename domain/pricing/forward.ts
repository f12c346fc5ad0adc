/**
 * The forward implied by put-call parity: C − P = e^(−rT)(F − K), so F = K + e^(rT)(C − P).
 * Using option prices themselves avoids guessing the index's dividend yield.
 */

export function forwardFromParity(call: number, put: number, strike: number, years: number, rate: number): number {
  return strike + Math.exp(rate * years) * (call - put);
}

export interface ParityPair {
  readonly strike: number;
  readonly call: number;
  readonly put: number;
}

/**
 * Forward from a chain: parity at the strike where |C − P| is smallest (closest to the money,
 * where both quotes are liquid), averaged with its neighbours to damp quote noise.
 */
export function forwardFromChain(pairs: readonly ParityPair[], years: number, rate: number): number {
  if (pairs.length === 0) throw new RangeError('forwardFromChain needs at least one strike with both a call and a put');
  const sorted = [...pairs].sort((a, b) => a.strike - b.strike);
  let best = 0;
  for (let i = 1; i < sorted.length; i++) {
    if (Math.abs(sorted[i]!.call - sorted[i]!.put) < Math.abs(sorted[best]!.call - sorted[best]!.put)) best = i;
  }
  const window = sorted.slice(Math.max(0, best - 1), best + 2);
  const sum = window.reduce((acc, p) => acc + forwardFromParity(p.call, p.put, p.strike, years, rate), 0);
  return sum / window.length;
}
