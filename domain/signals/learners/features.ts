/**
 * Features are factor values read by name (domain/factors), optionally transformed or multiplied
 * by a second factor; the spec list is stored in every model state so a state says what it reads.
 * The scaler standardises with the training mean and sd; a missing value (null factor, log of a
 * non-positive number) becomes the training mean (z = 0), and |z| is capped so one wild snapshot
 * cannot dominate a linear score.
 */
import type { FactorValues } from '../../factors/types';

export const FEATURE_TRANSFORMS = ['identity', 'abs', 'log'] as const;
export type FeatureTransform = (typeof FEATURE_TRANSFORMS)[number];

export interface FeatureSpec {
  /** Factor name, e.g. 'mom_30m'. */
  readonly factor: string;
  /** Applied to the product when `times` is given. Default identity. */
  readonly transform?: FeatureTransform;
  /** A second factor to multiply by (interactions, e.g. momentum × trend efficiency). */
  readonly times?: string;
}

export interface Scaler {
  readonly names: readonly string[];
  readonly mean: readonly number[];
  /** 1 for a feature that was constant in training (its z is then always 0). */
  readonly sd: readonly number[];
}

/** |z| cap after standardising. */
export const Z_CAP = 5;

export function featureName(spec: FeatureSpec): string {
  const base = spec.times ? `${spec.factor}*${spec.times}` : spec.factor;
  const t = spec.transform ?? 'identity';
  return t === 'identity' ? base : `${t}(${base})`;
}

/**
 * A factor a feature reads is absent from the values (not null: absent). Computing the wrong
 * factor list, or forgetting the regime probabilities, must fail loudly rather than be imputed.
 */
export class MissingFactorError extends Error {
  constructor(readonly factor: string) {
    super(`factor ${factor} is not among the values (compute it, or add the regime probabilities)`);
    this.name = 'MissingFactorError';
  }
}

function read(values: FactorValues, name: string): number | null {
  const v = values[name];
  if (v === undefined) throw new MissingFactorError(name);
  return v;
}

/** The raw (unscaled) feature value, null when missing. */
export function rawFeature(values: FactorValues, spec: FeatureSpec): number | null {
  const a = read(values, spec.factor);
  const b = spec.times === undefined ? 1 : read(values, spec.times);
  if (a === null || b === null) return null;
  const v = a * b;
  switch (spec.transform ?? 'identity') {
    case 'abs':
      return Math.abs(v);
    case 'log':
      return v > 0 ? Math.log(v) : null;
    default:
      return v;
  }
}

export function rawFeatures(values: FactorValues, specs: readonly FeatureSpec[]): (number | null)[] {
  return specs.map((s) => rawFeature(values, s));
}

export function fitScaler(specs: readonly FeatureSpec[], rows: readonly FactorValues[]): Scaler {
  const mean: number[] = [];
  const sd: number[] = [];
  specs.forEach((spec) => {
    const xs = rows.map((r) => rawFeature(r, spec)).filter((v): v is number => v !== null);
    const m = xs.length ? xs.reduce((a, v) => a + v, 0) / xs.length : 0;
    const s = xs.length > 1 ? Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / (xs.length - 1)) : 0;
    mean.push(m);
    sd.push(s > 1e-12 ? s : 1);
  });
  return { names: specs.map(featureName), mean, sd };
}

/** Standardised feature vector (no intercept). */
export function scaleFeatures(scaler: Scaler, specs: readonly FeatureSpec[], values: FactorValues): number[] {
  return specs.map((spec, i) => {
    const v = rawFeature(values, spec);
    if (v === null) return 0;
    const z = (v - scaler.mean[i]!) / scaler.sd[i]!;
    return Math.max(-Z_CAP, Math.min(Z_CAP, z));
  });
}
