/**
 * defineFactor wraps a raw computation so the contract holds: a non-finite result throws
 * FactorInputError instead of leaking NaN. computeFactors evaluates a list of factors on one
 * snapshot after checking the snapshot holds only finite numbers (the builder's content hash
 * already guarantees that; a hand-made or corrupted snapshot gets a FactorInputError naming
 * the field).
 */
import { assertPlainJson, NonCanonicalValueError } from '../snapshot/content-hash';
import type { DecisionSnapshot } from '../snapshot/types';
import { FactorInputError, type Factor, type FactorValues } from './types';

export function defineFactor(spec: Factor): Factor {
  return {
    ...spec,
    compute(snapshot) {
      const value = spec.compute(snapshot);
      if (value !== null && !Number.isFinite(value))
        throw new FactorInputError(spec.name, `computed ${String(value)}: the snapshot holds a non-finite input`);
      return value;
    },
  };
}

/** Every factor's value on one snapshot, by name. */
export function computeFactors(snapshot: DecisionSnapshot, factors: readonly Factor[]): FactorValues {
  try {
    assertPlainJson(snapshot);
  } catch (e) {
    if (e instanceof NonCanonicalValueError) throw new FactorInputError('snapshot', e.message);
    throw e;
  }
  const out: Record<string, number | null> = {};
  for (const f of factors) out[f.name] = f.compute(snapshot);
  return out;
}
