/**
 * Spearman rank correlation: Pearson correlation of the ranks, ties given their average rank.
 * Pairs where either side is null are left out (a factor that could not be computed, a target
 * not yet known); a NaN or infinite value is a RangeError, never a silently shifted rank.
 */

/** 1-based ranks, ties sharing the mean of the ranks they span. */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const ranks = new Array<number>(xs.length);
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && order[end]!.x === order[start]!.x) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!.i] = rank;
    start = end;
  }
  return ranks;
}

function pearson(a: readonly number[], b: readonly number[]): number | null {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return va === 0 || vb === 0 ? null : cov / Math.sqrt(va * vb);
}

/** Spearman's ρ over the pairs where both are known; null with fewer than 3 or when either side is constant. */
export function spearman(x: readonly (number | null)[], y: readonly (number | null)[]): number | null {
  if (x.length !== y.length) throw new RangeError(`spearman: ${x.length} values against ${y.length} targets`);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (u === null || v === null || u === undefined || v === undefined) continue;
    if (!Number.isFinite(u) || !Number.isFinite(v)) throw new RangeError(`spearman: non-finite pair at ${i}`);
    a.push(u);
    b.push(v);
  }
  return a.length < 3 ? null : pearson(averageRanks(a), averageRanks(b));
}
