/**
 * The signal stack as one model type: regime detector + eight signal modules + combiner,
 * fitted together by domain/combiner trainSignalStack. One type rather than ten: the modules
 * are calibrated on the detector's probabilities and the combiner's weights are fitted on the
 * modules' calibration predictions, so serving a module next to a combiner fitted against
 * another version of it would be a mix nobody validated; one artifact is versioned, checked and
 * rolled back as the unit it is. Holdout: unseen simulated runs (mean interval coverage of the
 * eight modules, nominal 0.9).
 */
import { trainSignalStack, type SignalStack } from '../../domain/combiner';
import { addRegimeProbabilities } from '../../domain/regime';
import { SIGNAL_MODULE_NAMES, SIGNAL_MODULES, scoredRows, type SignalRow } from '../../domain/signals';
import { decisionRows, RUN_FEATURES, runSpec } from '../data/decision-runs';
import type { Example } from '../data/rule1';
import { jsonArtifact, yieldToEventLoop, type Trainer, type TrainedModel } from './trainer';

const TYPE_ID = 'signal_stack';
const featureSchema = { features: [...RUN_FEATURES], output: 'signal_stack' };

/** Coverage of each module's 90 % interval on rows the stack never saw, and their mean. */
export function stackCoverage(stack: SignalStack, rows: readonly SignalRow[]): Record<string, number> {
  const inputs = addRegimeProbabilities(rows, stack.detector);
  const out: Record<string, number> = {};
  let sum = 0;
  for (const m of SIGNAL_MODULE_NAMES) {
    const scored = scoredRows(SIGNAL_MODULES[m], stack.signals[m], inputs);
    const c = scored.length ? scored.filter((r) => r.covered).length / scored.length : 0;
    out[`coverage_${m}`] = c;
    sum += c;
  }
  out.mean_coverage = sum / SIGNAL_MODULE_NAMES.length;
  return out;
}

export const holdoutRowsOf = (holdout: readonly Example[]) =>
  decisionRows(
    holdout.map((e) => runSpec(e.x)),
    'holdout',
  );

export const signalStackTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'json',
  featureSchema,
  holdout: { fraction: 0.25, mode: 'interleave' },
  async train(train, holdout, options = {}): Promise<TrainedModel> {
    options.onProgress?.({ done: 0, total: 3, note: 'simulating runs' });
    const rows = decisionRows(
      train.map((e) => runSpec(e.x)),
      'fit',
    ).filter((r) => r.split !== 'test');
    await yieldToEventLoop();
    options.onProgress?.({ done: 1, total: 3, note: 'fitting detector, modules, combiner' });
    const stack = trainSignalStack(rows);
    await yieldToEventLoop();
    options.onProgress?.({ done: 2, total: 3, note: 'scoring unseen runs' });
    const held = stackCoverage(stack, holdoutRowsOf(holdout));
    return {
      framework: 'json',
      artifact: jsonArtifact(TYPE_ID, stack),
      featureSchema,
      hyperparameters: { runs: train.length + holdout.length, decisionTimes: 5, horizonMinutes: 60, nominal: 0.9 },
      trainMetrics: {
        rows: rows.length,
        train_rows: rows.filter((r) => r.split === 'train').length,
        calibration_rows: rows.filter((r) => r.split === 'calibration').length,
      },
      validationMetrics: {
        ...Object.fromEntries(Object.entries(held).map(([k, v]) => [`holdout_${k}`, v])),
        holdout_runs: holdout.length,
      },
    };
  },
};
