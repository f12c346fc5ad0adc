/**
 * The JSON state shared by the linear learners: which features, how they were scaled, and the
 * coefficients on the standardised features (intercept first).
 */
import type { FactorValues } from '../../factors/types';
import { fitScaler, scaleFeatures, type FeatureSpec, type Scaler } from './features';

export interface LinearCore {
  readonly features: readonly FeatureSpec[];
  readonly scaler: Scaler;
}

export function fitCore(features: readonly FeatureSpec[], rows: readonly FactorValues[]): LinearCore {
  if (rows.length === 0) throw new RangeError('no training rows');
  return { features: [...features], scaler: fitScaler(features, rows) };
}

/** [1, z₁, …, z_d]: the standardised features with the intercept's 1 in front. */
export function design(core: LinearCore, values: FactorValues): number[] {
  return [1, ...scaleFeatures(core.scaler, core.features, values)];
}
