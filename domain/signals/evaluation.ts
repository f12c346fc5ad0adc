/**
 * Out-of-sample scores of a trained module on rows it never saw (test rows, unseen seeds):
 * empirical coverage of its conformal interval, skill against the naive forecast it must beat
 * (1 − MSE / MSE of the training mean, in model space; > 0 means better than naive), and the rank
 * IC of its point forecast with the realised outcome.
 *
 * `naive: 'rows'` scores against the rows' own mean instead of the training one: an oracle
 * constant, so the skill says what a module adds beyond knowing, say, which
 * regime the rows come from. Scores of several folds pool through scoredRows + summariseScores.
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

/** One scored row: whether the interval covered, the point forecast, the target, the training naive. */
export interface ScoredRow {
  readonly covered: boolean;
  readonly point: number;
  readonly target: number;
  readonly naive: number;
}

export function scoredRows(module: SignalModule, state: SignalState, rows: readonly SignalRow[]): ScoredRow[] {
  return rows.flatMap((r) => {
    const outcome = module.outcome(r.targets, r.factors);
    const target = module.modelTarget(r.targets, r.factors);
    if (outcome === null || target === null) return [];
    return [
      {
        covered: intervalCovers(module.predict(state, r.factors).interval, outcome),
        point: module.point(state, r.factors),
        target,
        naive: state.baseline,
      },
    ];
  });
}

export function summariseScores(
  module: SignalModule,
  rows: readonly ScoredRow[],
  options: { readonly naive?: 'training' | 'rows' } = {},
): ModuleScore {
  const n = rows.length;
  if (n === 0) throw new RangeError(`${module.name}: no rows with a defined outcome to score`);
  const loss = (p: number, y: number) => (y - p) ** 2;
  const rowMean = rows.reduce((a, r) => a + r.target, 0) / n;
  let lossModel = 0;
  let lossNaive = 0;
  for (const r of rows) {
    lossModel += loss(r.point, r.target);
    lossNaive += loss(options.naive === 'rows' ? rowMean : r.naive, r.target);
  }
  return {
    module: module.name,
    n,
    coverage: rows.filter((r) => r.covered).length / n,
    skill: lossNaive > 0 ? 1 - lossModel / lossNaive : 0,
    ic: spearman(
      rows.map((r) => r.point),
      rows.map((r) => r.target),
    ),
  };
}

export function scoreModule(
  module: SignalModule,
  state: SignalState,
  rows: readonly SignalRow[],
  options: { readonly naive?: 'training' | 'rows' } = {},
): ModuleScore {
  return summariseScores(module, scoredRows(module, state, rows), options);
}
