/** The validation contract's four checks, each failing on its own. */
import { runContract, sha256Hex } from './contracts';
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
const failed = (r: ReturnType<typeof runContract>) => r.checks.filter((c) => !c.passed).map((c) => c.name);

describe('validation contract', () => {
  it('passes a good candidate, first of its scope or against the same schema', () => {
    expect(runContract(spec, candidate(), null)).toMatchObject({ passed: true, comparedWith: null });
    expect(runContract(spec, candidate(), { version: 3, featureSchema })).toMatchObject({
      passed: true,
      comparedWith: 3,
    });
  });

  it('holdout metric below the threshold, or missing', () => {
    expect(failed(runContract(spec, candidate({ metadata: metadata(0.49) }), null))).toEqual(['holdout_metric']);
    expect(failed(runContract(spec, candidate({ metadata: metadata(undefined) }), null))).toEqual(['holdout_metric']);
    expect(runContract(spec, candidate({ metadata: metadata(0.5) }), null).passed).toBe(true); // "at or above"
  });

  it('feature schema different from the running production version', () => {
    const r = runContract(spec, candidate({ featureSchema: { features: ['b', 'a'], output: 'probability' } }), {
      version: 2,
      featureSchema,
    });
    expect(failed(r)).toEqual(['feature_schema']);
    expect(r.checks.find((c) => c.name === 'feature_schema')?.detail).toMatch(/differs from production v2/);
  });

  it('artifact size outside the range, or not what was recorded', () => {
    const tiny = Buffer.alloc(10);
    expect(
      failed(runContract(spec, candidate({ artifact: tiny, sha256: sha256Hex(tiny), sizeBytes: 10 }), null)),
    ).toEqual(['artifact_size']);
    expect(failed(runContract(spec, candidate({ sizeBytes: 999 }), null))).toEqual(['artifact_size']);
  });

  it('SHA-256 not matching the bytes', () => {
    expect(failed(runContract(spec, candidate({ sha256: sha256Hex(Buffer.from('other')) }), null))).toEqual(['sha256']);
  });
});
