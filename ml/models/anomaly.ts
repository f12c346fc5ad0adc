/** Anomaly detector state: Mahalanobis distance from the training mean, flagged above a quantile. */
export const ANOMALY_FEATURES = ['ret1', 'range_pct', 'vol_change', 'rv30'] as const;

export interface AnomalyState {
  readonly mean: number[];
  /** Inverse covariance, row-major. */
  readonly precision: number[][];
  /** Distance above which a point is anomalous (a training quantile). */
  readonly threshold: number;
  readonly quantile: number;
}

export function mahalanobis(s: AnomalyState, x: readonly number[]): number {
  const d = x.map((v, i) => v - s.mean[i]!);
  let q = 0;
  for (let i = 0; i < d.length; i++) for (let j = 0; j < d.length; j++) q += d[i]! * s.precision[i]![j]! * d[j]!;
  return Math.sqrt(Math.max(q, 0));
}

export function isAnomalous(s: AnomalyState, x: readonly number[]): boolean {
  return mahalanobis(s, x) > s.threshold;
}
