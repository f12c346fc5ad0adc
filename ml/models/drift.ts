/**
 * Feature drift monitor state: per feature, decile bin edges of the training reference and the
 * reference share in each bin. psi() compares a new sample with it (population stability
 * index; > 0.25 is the usual "significant shift").
 */
export interface DriftFeatureRef {
  readonly name: string;
  /** Interior bin edges, ascending (bins: (−∞, e0), [e0, e1), …, [e_last, ∞)). */
  readonly edges: number[];
  readonly expected: number[];
}

export interface DriftState {
  readonly features: DriftFeatureRef[];
  readonly alertPsi: number;
}

const EPS = 1e-4;

export function binShares(edges: readonly number[], values: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let b = 0;
    while (b < edges.length && v >= edges[b]!) b++;
    counts[b]!++;
  }
  return counts.map((c) => c / Math.max(values.length, 1));
}

export function psi(expected: readonly number[], actual: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i]!, EPS);
    const a = Math.max(actual[i]!, EPS);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

export interface DriftReport {
  readonly psi: Record<string, number>;
  readonly maxPsi: number;
  readonly drifted: string[];
}

/** rows: feature vectors in the state's feature order. */
export function driftReport(state: DriftState, rows: readonly (readonly number[])[]): DriftReport {
  const out: Record<string, number> = {};
  state.features.forEach((f, j) => {
    out[f.name] = psi(
      f.expected,
      binShares(
        f.edges,
        rows.map((r) => r[j]!),
      ),
    );
  });
  const values = Object.values(out);
  return { psi: out, maxPsi: Math.max(...values), drifted: Object.keys(out).filter((k) => out[k]! > state.alertPsi) };
}
