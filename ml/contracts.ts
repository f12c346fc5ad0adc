/**
 * The validation contract a candidate must pass before it serves: its holdout metric, measured
 * by running the artifact on the rebuilt holdout (ml/holdout.ts), at or above the type's
 * threshold; the metric its metadata claims equal to the measured one (metadata is provenance,
 * and a record that lies must not serve); the same feature schema as the running production
 * version; artifact size within the type's range; SHA-256 matching the stored digest.
 */
import { createHash } from 'node:crypto';
import type { HoldoutMeasurement } from './holdout';
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

/**
 * How far the claimed metric may sit from the measured one: the trainer scores the TypeScript
 * reference, serving runs the exported graph (parity to 1e-5 per prediction), so a prediction on
 * a decision boundary may flip one holdout row; a lie is larger than that.
 */
export const CLAIM_TOLERANCE = 0.005;

const canonicalSchema = (s: FeatureSchema) => JSON.stringify({ features: [...s.features], output: s.output });

export function runContract(
  spec: ContractSpec,
  candidate: ContractCandidate,
  production: ContractBaseline | null,
  measured: HoldoutMeasurement,
  at: Date = new Date(),
): ValidationResult {
  const checks: ContractCheck[] = [...metricChecks(spec, candidate, measured)];
  if (production === null)
    checks.push({ name: 'feature_schema', passed: true, detail: 'no production version yet: nothing to compare with' });
  else {
    const same = canonicalSchema(candidate.featureSchema) === canonicalSchema(production.featureSchema);
    checks.push({
      name: 'feature_schema',
      passed: same,
      detail: same
        ? `same as production v${production.version}`
        : `differs from production v${production.version}: [${candidate.featureSchema.features.join(', ')}] ` +
          `vs [${production.featureSchema.features.join(', ')}]`,
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

function metricChecks(spec: ContractSpec, candidate: ContractCandidate, m: HoldoutMeasurement): ContractCheck[] {
  const claimed = candidate.metadata.validationMetrics?.[spec.metric];
  const claimText = typeof claimed === 'number' ? round(claimed) : 'nothing';
  if (m.metric !== spec.metric || m.sha256 !== sha256Hex(candidate.artifact)) {
    const why = m.metric !== spec.metric ? `${m.metric} was measured` : 'a different artifact was measured';
    return [
      { name: 'holdout_metric', passed: false, detail: `${spec.metric} not measured on this artifact (${why})` },
      { name: 'claimed_metric', passed: false, detail: `metadata claims ${claimText}; nothing to compare with` },
    ];
  }
  if (!m.ok)
    return [
      { name: 'holdout_metric', passed: false, detail: `${spec.metric} could not be measured: ${m.error}` },
      { name: 'claimed_metric', passed: false, detail: `metadata claims ${claimText}; nothing to compare with` },
    ];
  const honest = typeof claimed === 'number' && Math.abs(claimed - m.value) <= CLAIM_TOLERANCE;
  return [
    {
      name: 'holdout_metric',
      passed: m.value >= spec.atLeast,
      detail:
        `${spec.metric} = ${round(m.value)} (needs ≥ ${spec.atLeast}), measured on ${m.rows} holdout rows of ` +
        `data version ${m.dataVersion} (${m.windowDays} trading days)`,
    },
    {
      name: 'claimed_metric',
      passed: honest,
      detail: honest
        ? `metadata claims ${claimText}, as measured`
        : `metadata claims ${claimText}, measured ${round(m.value)} (tolerance ${CLAIM_TOLERANCE})`,
    },
  ];
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
