/** The validation contract's checks, each failing on its own. */
import { CLAIM_TOLERANCE, runContract, sha256Hex } from './contracts';
import type { HoldoutMeasurement } from './holdout';
import { modelType } from './model-types';
import type { ModelMetadata } from './types';

const spec = modelType('trend_classifier').contract;
const artifact = Buffer.alloc(1000, 7);
const featureSchema = { features: ['a', 'b'], output: 'probability' };
const metadata = (holdout: number | undefined): ModelMetadata => ({
  typeId: 'trend_classifier',
  framework: 'onnx',
  hyperparameters: {},
  trainMetrics: {},
  validationMetrics: holdout === undefined ? {} : { holdout_accuracy: holdout },
  trainingDataVersion: '2026-05-22',
  trainingDataEnd: '2026-05-22',
  retrainCadence: 'weekly',
  featureSchema,
});
const candidate = (over: Partial<Parameters<typeof runContract>[1]> = {}) => ({
  artifact,
  sha256: sha256Hex(artifact),
  sizeBytes: artifact.length,
  metadata: metadata(0.55),
  featureSchema,
  ...over,
});
/** What running the artifact on the rebuilt holdout gave. */
const measured = (value: number, bytes: Uint8Array = artifact): HoldoutMeasurement => ({
  ok: true,
  metric: 'holdout_accuracy',
  value,
  rows: 800,
  dataVersion: '2026-05-22',
  windowDays: 40,
  sha256: sha256Hex(bytes),
});
const failed = (r: ReturnType<typeof runContract>) => r.checks.filter((c) => !c.passed).map((c) => c.name);

describe('validation contract', () => {
  it('passes a good candidate, first of its scope or against the same schema', () => {
    expect(runContract(spec, candidate(), null, measured(0.55))).toMatchObject({ passed: true, comparedWith: null });
    expect(runContract(spec, candidate(), { version: 3, featureSchema }, measured(0.55))).toMatchObject({
      passed: true,
      comparedWith: 3,
    });
  });

  it('reads the holdout metric from the measurement, never from the metadata', () => {
    // Honest metadata, measured below the threshold: refused.
    const low = runContract(spec, candidate({ metadata: metadata(0.49) }), null, measured(0.49));
    expect(failed(low)).toEqual(['holdout_metric']);
    expect(low.checks[0]!.detail).toMatch(/holdout_accuracy = 0\.49 \(needs ≥ 0\.5\), measured on 800 holdout rows/);
    // "at or above"
    expect(runContract(spec, candidate({ metadata: metadata(0.5) }), null, measured(0.5)).passed).toBe(true);
  });

  it('metadata that lies fails: claims 0.9, measures 0.4 (and a claim above the threshold that is not true)', () => {
    expect(failed(runContract(spec, candidate({ metadata: metadata(0.9) }), null, measured(0.4)))).toEqual([
      'holdout_metric',
      'claimed_metric',
    ]);
    const inflated = runContract(spec, candidate({ metadata: metadata(0.9) }), null, measured(0.6));
    expect(failed(inflated)).toEqual(['claimed_metric']);
    expect(inflated.checks.find((c) => c.name === 'claimed_metric')?.detail).toMatch(/claims 0\.9, measured 0\.6/);
    expect(failed(runContract(spec, candidate({ metadata: metadata(undefined) }), null, measured(0.6)))).toEqual([
      'claimed_metric',
    ]);
    // Within the tolerance of a prediction flipping on a decision boundary: honest.
    expect(
      runContract(spec, candidate({ metadata: metadata(0.6 + CLAIM_TOLERANCE / 2) }), null, measured(0.6)).passed,
    ).toBe(true);
  });

  it('a measurement that failed, or was made on other bytes, fails the metric checks', () => {
    const error: HoldoutMeasurement = {
      ok: false,
      metric: 'holdout_accuracy',
      error: 'feature "x" is not a finite number',
      sha256: sha256Hex(artifact),
    };
    const r = runContract(spec, candidate(), null, error);
    expect(failed(r)).toEqual(['holdout_metric', 'claimed_metric']);
    expect(r.checks[0]!.detail).toMatch(/could not be measured: feature "x"/);
    const other = runContract(spec, candidate(), null, measured(0.55, Buffer.from('other bytes')));
    expect(failed(other)).toEqual(['holdout_metric', 'claimed_metric']);
  });

  it('feature schema different from the running production version', () => {
    const r = runContract(
      spec,
      candidate({ featureSchema: { features: ['b', 'a'], output: 'probability' } }),
      { version: 2, featureSchema },
      measured(0.55),
    );
    expect(failed(r)).toEqual(['feature_schema']);
    expect(r.checks.find((c) => c.name === 'feature_schema')?.detail).toMatch(/differs from production v2/);
  });

  it('artifact size outside the range, or not what was recorded', () => {
    const tiny = Buffer.alloc(10);
    expect(
      failed(
        runContract(
          spec,
          candidate({ artifact: tiny, sha256: sha256Hex(tiny), sizeBytes: 10 }),
          null,
          measured(0.55, tiny),
        ),
      ),
    ).toEqual(['artifact_size']);
    expect(failed(runContract(spec, candidate({ sizeBytes: 999 }), null, measured(0.55)))).toEqual(['artifact_size']);
  });

  it('SHA-256 not matching the bytes', () => {
    expect(
      failed(runContract(spec, candidate({ sha256: sha256Hex(Buffer.from('other')) }), null, measured(0.55))),
    ).toEqual(['sha256']);
  });
});
