/**
 * The validation contract a candidate must pass before it serves: holdout metric at or above
 * the type's threshold, the same feature schema as the running production version, artifact
 * size within the type's range, and SHA-256 matching the stored digest.
 */
import { createHash } from 'node:crypto';
import type { ContractSpec } from './model-types';
import type { ContractCheck, FeatureSchema, ModelMetadata, ValidationResult } from './types';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface ContractCandidate {
  readonly artifact: Uint8Array;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly metadata: ModelMetadata;
  readonly featureSchema: FeatureSchema;
}

export interface ContractBaseline {
  readonly version: number;
  readonly featureSchema: FeatureSchema;
}

const canonicalSchema = (s: FeatureSchema) => JSON.stringify({ features: [...s.features], output: s.output });

export function runContract(
  spec: ContractSpec,
  candidate: ContractCandidate,
  production: ContractBaseline | null,
  at: Date = new Date(),
): ValidationResult {
  const checks: ContractCheck[] = [];
  const value = candidate.metadata.validationMetrics?.[spec.metric];
  checks.push(
    typeof value === 'number' && Number.isFinite(value)
      ? {
          name: 'holdout_metric',
          passed: value >= spec.atLeast,
          detail: `${spec.metric} = ${round(value)} (needs ≥ ${spec.atLeast})`,
        }
      : { name: 'holdout_metric', passed: false, detail: `${spec.metric} missing from the validation metrics` },
  );
  if (production === null)
    checks.push({ name: 'feature_schema', passed: true, detail: 'no production version yet: nothing to compare with' });
  else {
    const same = canonicalSchema(candidate.featureSchema) === canonicalSchema(production.featureSchema);
    checks.push({
      name: 'feature_schema',
      passed: same,
      detail: same
        ? `same as production v${production.version}`
        : `differs from production v${production.version}: [${candidate.featureSchema.features.join(', ')}] vs [${production.featureSchema.features.join(', ')}]`,
    });
  }
  const size = candidate.artifact.length;
  const sizeOk = size === candidate.sizeBytes && size >= spec.minBytes && size <= spec.maxBytes;
  checks.push({
    name: 'artifact_size',
    passed: sizeOk,
    detail: `${size} bytes (recorded ${candidate.sizeBytes}; allowed ${spec.minBytes}…${spec.maxBytes})`,
  });
  const digest = sha256Hex(candidate.artifact);
  checks.push({
    name: 'sha256',
    passed: digest === candidate.sha256,
    detail:
      digest === candidate.sha256
        ? 'artifact matches its digest'
        : `artifact digest ${digest} ≠ recorded ${candidate.sha256}`,
  });
  return {
    passed: checks.every((c) => c.passed),
    checks,
    comparedWith: production?.version ?? null,
    at: at.toISOString(),
  };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
