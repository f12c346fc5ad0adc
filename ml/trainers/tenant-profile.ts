/**
 * tenant_profile: how a tenant trades, as a shrinkage estimator — small and readable. For each
 * quantity (lots per trade, loss per lot on losing trades, holding minutes, each structure's
 * share) the posterior mean is
 *
 *     (w0 · prior + Σ REAL_WEIGHT · x_real) / (w0 + REAL_WEIGHT · n_real),   w0 = PRIOR_TRADES · SYNTHETIC_WEIGHT
 *
 * where the prior is the synthetic persona population's mean. The population, however many
 * trades it has, counts as PRIOR_TRADES synthetic trades (Rule 1's weight 1 each) and every real
 * trade as REAL_WEIGHT (3): with no real trades the profile is the prior (cold start); 10 real
 * trades make it 60 % the tenant's, 100 make it 94 %. Real and synthetic are told apart by the
 * example's weight (set from context_source), never by a feature.
 *
 * Holdout (interleaved days), holdout_size_skill ≥ 0 (sizeSkill): a variant's typical size
 * predicts its tenant's held-out trades at least as well as the population prior does, and the
 * global profile predicts the population's held-out trades at least as well as one lot does.
 */
import { STRUCTURE_KINDS, type StructureKind } from '../../domain/strategies/types';
import type { TenantProfile } from '../../domain/decision/tenant-adaptation';
import { PROFILE_FEATURES } from '../data/tenant-trades';
import { REAL_WEIGHT, SYNTHETIC_WEIGHT, type Example } from '../data/rule1';
import { jsonArtifact, weightedMean, type Trainer, type TrainedModel } from './trainer';

const TYPE_ID = 'tenant_profile';
const featureSchema = { features: [...PROFILE_FEATURES], output: 'tenant_profile' };

/** The synthetic population's strength in the posterior, in synthetic trades. */
export const PRIOR_TRADES = 20;

const LOTS = 0;
const HOLD = 1;
const LOSS = 2;
const STRUCTURE0 = 3;

const isReal = (e: Example) => e.weight === REAL_WEIGHT;
const mean = (xs: readonly number[], fallback: number) =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : fallback;

/** Posterior mean of one quantity: the prior at weight w0, each real observation at REAL_WEIGHT. */
export function shrink(prior: number, real: readonly number[], w0 = PRIOR_TRADES * SYNTHETIC_WEIGHT): number {
  const w = REAL_WEIGHT * real.length;
  return (w0 * prior + REAL_WEIGHT * real.reduce((a, b) => a + b, 0)) / (w0 + w);
}

export function estimateProfile(examples: readonly Example[]): TenantProfile {
  const synthetic = examples.filter((e) => !isReal(e));
  const real = examples.filter(isReal);
  if (synthetic.length === 0)
    throw new Error('tenant_profile: no synthetic persona trades in the window, so no prior to start from');
  const col = (rows: readonly Example[], i: number) => rows.map((e) => e.x[i]!);
  const losers = (rows: readonly Example[]) => rows.filter((e) => e.y < 0);
  const prior = {
    typicalLots: mean(col(synthetic, LOTS), 1),
    lossPerLot: mean(col(losers(synthetic), LOSS), 0),
    holdMinutes: mean(col(synthetic, HOLD), 0),
  };
  // The loss posterior counts losing trades only: a winner says nothing about loss tolerance.
  const shares = {} as Record<StructureKind, number>;
  STRUCTURE_KINDS.forEach((k, j) => {
    shares[k] = shrink(mean(col(synthetic, STRUCTURE0 + j), 0), col(real, STRUCTURE0 + j));
  });
  const priorWeight = PRIOR_TRADES * SYNTHETIC_WEIGHT;
  const realWeight = REAL_WEIGHT * real.length;
  return {
    version: 1,
    typicalLots: shrink(prior.typicalLots, col(real, LOTS)),
    lossPerLot: shrink(prior.lossPerLot, col(losers(real), LOSS)),
    holdMinutes: shrink(prior.holdMinutes, col(real, HOLD)),
    structureShares: shares,
    prior,
    evidence: {
      realTrades: real.length,
      syntheticTrades: synthetic.length,
      priorWeight,
      realWeight,
      tenantShare: realWeight / (priorWeight + realWeight),
    },
  };
}

/**
 * 1 − MSE(typical size) / MSE(baseline) over the held-out trades' lots: the real ones against the
 * population prior when there are any (the variant must size its tenant better than the population
 * does), else the synthetic ones against one lot (the global profile must beat the minimum size).
 */
export function sizeSkill(profile: Pick<TenantProfile, 'typicalLots' | 'prior'>, holdout: readonly Example[]): number {
  const realRows = holdout.filter(isReal);
  const rows = realRows.length ? realRows : holdout;
  if (rows.length === 0) throw new Error('tenant_profile: an empty holdout');
  const baseline = realRows.length ? profile.prior.typicalLots : 1;
  const lots = rows.map((e) => e.x[LOTS]!);
  const w = rows.map((e) => e.weight);
  const mse = (c: number) =>
    weightedMean(
      lots.map((l) => (l - c) ** 2),
      w,
    );
  const base = mse(baseline);
  return base > 0 ? 1 - mse(profile.typicalLots) / base : mse(profile.typicalLots) > 0 ? -1 : 0;
}

export const tenantProfileTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'json',
  featureSchema,
  holdout: { fraction: 0.25, mode: 'interleave' },
  async train(train, holdout): Promise<TrainedModel> {
    const profile = estimateProfile(train);
    return {
      framework: 'json',
      artifact: jsonArtifact(TYPE_ID, profile),
      featureSchema,
      hyperparameters: {
        estimator: 'shrinkage posterior mean, synthetic persona population as the prior',
        priorTrades: PRIOR_TRADES,
        realWeight: REAL_WEIGHT,
        syntheticWeight: SYNTHETIC_WEIGHT,
      },
      trainMetrics: {
        real_trades: profile.evidence.realTrades,
        synthetic_trades: profile.evidence.syntheticTrades,
        tenant_share: profile.evidence.tenantShare,
        typical_lots: profile.typicalLots,
      },
      validationMetrics: {
        holdout_size_skill: sizeSkill(profile, holdout),
        holdout_rows: holdout.length,
        holdout_real_rows: holdout.filter(isReal).length,
      },
    };
  },
};
