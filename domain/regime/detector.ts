/**
 * The regime detector: calm | trending | panic from factor values — realised vol (today, 5 days),
 * the vol index and its change, the vol risk premium, the term structure and skew, trend
 * strength (path efficiency, the size of today's and the last half hour's move, the stretch from
 * the TWAP) and jumps. A softmax regression on standardised features, trained on labelled rows
 * (the simulator's regimes, or any labelled history); its state is plain JSON.
 */
import type { FactorValues } from '../factors/types';
import { REGIMES, type Regime } from '../market/types';
import type { FeatureSpec } from '../signals/learners/features';
import { predictSoftmax, trainSoftmax, type SoftmaxState } from '../signals/learners/softmax';

export const REGIME_DETECTOR_VERSION = 1;

export const DETECTOR_FEATURES: readonly FeatureSpec[] = [
  { factor: 'rv_intraday', transform: 'log' },
  { factor: 'rv_cc_5d', transform: 'log' },
  { factor: 'rv_ratio_5_20' },
  { factor: 'vol_index', transform: 'log' },
  { factor: 'vol_index_change_1d' },
  { factor: 'vrp_iv_rv20' },
  { factor: 'term_spread' },
  { factor: 'term_front_premium' },
  { factor: 'skew_rr25' },
  { factor: 'skew_bf25' },
  { factor: 'trend_efficiency' },
  { factor: 'mom_intraday', transform: 'abs' },
  { factor: 'mom_30m', transform: 'abs' },
  { factor: 'mr_z_twap', transform: 'abs' },
  { factor: 'jump_share_intraday' },
];

export interface RegimeDetectorState {
  readonly version: typeof REGIME_DETECTOR_VERSION;
  readonly model: SoftmaxState<Regime>;
  readonly trainRows: number;
}

export interface RegimeDetection {
  readonly regime: Regime;
  readonly probabilities: Readonly<Record<Regime, number>>;
}

export function trainRegimeDetector(
  rows: readonly { readonly factors: FactorValues; readonly regime: Regime }[],
  params: { readonly lambda?: number; readonly features?: readonly FeatureSpec[] } = {},
): RegimeDetectorState {
  const model = trainSoftmax(
    REGIMES,
    params.features ?? DETECTOR_FEATURES,
    rows.map((r) => ({ factors: r.factors, label: r.regime })),
    { lambda: params.lambda },
  );
  return { version: REGIME_DETECTOR_VERSION, model, trainRows: rows.length };
}

export function detectRegime(state: RegimeDetectorState, factors: FactorValues): RegimeDetection {
  if (state.version !== REGIME_DETECTOR_VERSION) throw new RangeError(`unknown detector version ${state.version}`);
  const p = predictSoftmax(state.model, factors);
  const probabilities = Object.fromEntries(state.model.classes.map((c, i) => [c, p[i]!])) as Record<Regime, number>;
  let regime: Regime = state.model.classes[0]!;
  for (const c of state.model.classes) if (probabilities[c] > probabilities[regime]) regime = c;
  return { regime, probabilities };
}
