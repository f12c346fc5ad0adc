/**
 * Out-of-sample scores of a trained module on rows it never saw (test rows, unseen seeds):
 * empirical coverage of its conformal interval, skill against the naive forecast it must beat
 * (1 − MSE / MSE of the training mean for regression; 1 − log loss / log loss of the training
 * base rate for classification; > 0 means better than naive), and the rank IC of its point
 * forecast with the realised target.
 *
 * `naive: 'rows'` scores against the rows' own mean (or positive rate) instead of the training
 * one: an oracle constant, so the skill says what a module adds beyond knowing, say, which
 * regime the rows come from (the combiner's regime weights use it).
 */
import { spearman } from '../factors/evaluation/rank-correlation';
import { intervalCovers, type SignalModule, type SignalState } from './contract';
import type { SignalRow } from './dataset';

export interface ModuleScore {
  readonly module: string;
  readonly n: number;
  readonly coverage: number;
  readonly skill: number;
  readonly ic: number | null;
}

const logLoss = (p: number, y: number) => {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
};

export function scoreModule(
  module: SignalModule,
  state: SignalState,
  rows: readonly SignalRow[],
  options: { readonly naive?: 'training' | 'rows' } = {},
): ModuleScore {
  let covered = 0;
  let n = 0;
  let lossModel = 0;
  let lossNaive = 0;
  const points: number[] = [];
  const targets: number[] = [];
  for (const r of rows) {
    const outcome = module.outcome(r.targets, r.factors);
    const y = module.modelTarget(r.targets, r.factors);
    if (outcome === null || y === null) continue;
    n++;
    if (intervalCovers(module.predict(state, r.factors).interval, outcome)) covered++;
    const yhat = module.point(state, r.factors);
    points.push(yhat);
    targets.push(y);
    if (module.kind === 'regression') {
      lossModel += (y - yhat) ** 2;
      lossNaive += (y - state.baseline) ** 2;
    } else {
      lossModel += logLoss(yhat, y);
      lossNaive += logLoss(state.baseline, y);
    }
  }
  if (n === 0) throw new RangeError(`${module.name}: no rows with a defined outcome to score`);
  if (options.naive === 'rows') {
    const c = targets.reduce((a, y) => a + y, 0) / n;
    lossNaive = targets.reduce((a, y) => a + (module.kind === 'regression' ? (y - c) ** 2 : logLoss(c, y)), 0);
  }
  return {
    module: module.name,
    n,
    coverage: covered / n,
    skill: lossNaive > 0 ? 1 - lossModel / lossNaive : 0,
    ic: spearman(points, targets),
  };
}
