/**
 * Tenant adaptation in sizing: the tenant_profile model (ml/trainers/tenant-profile.ts) says how
 * a tenant trades — its typical size, how far it lets a loser run, how long it holds, which
 * structures it prefers — as a shrinkage posterior of its real closed trades over the synthetic
 * persona population. Sizing takes the tightest of the tenant's limits first; the profile can
 * only bring that down to the tenant's typical size, never lift it above a limit.
 */
import type { StructureKind } from '../strategies/types';
import type { ModelPin } from './types';

/** The tenant_profile artifact's state: each value a posterior mean, with the evidence behind it. */
export interface TenantProfile {
  readonly version: 1;
  /** Option lots per trade. */
  readonly typicalLots: number;
  /** Net loss per lot on a losing trade, rupees: how far the tenant lets a loser run (loss tolerance). */
  readonly lossPerLot: number;
  /** Minutes from entry to exit. */
  readonly holdMinutes: number;
  /** Share of trades per structure (sums to 1). */
  readonly structureShares: Readonly<Record<StructureKind, number>>;
  /** The synthetic population's values: what a tenant with no real trades gets. */
  readonly prior: { readonly typicalLots: number; readonly lossPerLot: number; readonly holdMinutes: number };
  readonly evidence: {
    readonly realTrades: number;
    readonly syntheticTrades: number;
    /** Weight of the prior (the synthetic population) and of the real trades in the posterior. */
    readonly priorWeight: number;
    readonly realWeight: number;
    /** realWeight / (priorWeight + realWeight): how much of the profile is the tenant's own. */
    readonly tenantShare: number;
  };
}

/** The profile decide sizes with, and which version it is (the tenant's variant, or the global one). */
export interface ProfileInUse {
  readonly ref: ModelPin;
  readonly profile: TenantProfile;
}

/** Lots the tenant's typical size allows: at least one, the profile's mean rounded. */
export const appetiteLots = (p: TenantProfile): number => Math.max(1, Math.round(p.typicalLots));

/**
 * The profile's cap on the lots the limits allowed: min(allowed, typical size). Never above
 * `allowed`; with no profile the limits' answer stands. The numbers go into the decision's sizing.
 */
export function adaptToProfile(
  allowed: number,
  use: ProfileInUse | null | undefined,
): { lots: number; numbers: Record<string, number | string> } {
  if (!use) return { lots: allowed, numbers: {} };
  const byAppetite = appetiteLots(use.profile);
  return {
    lots: Math.min(allowed, byAppetite),
    numbers: {
      lotsByAppetite: byAppetite,
      typicalLots: round2(use.profile.typicalLots),
      profileScope: use.ref.scope === 'global' ? 'global' : `tenant:${use.ref.scope}`,
      profileTenantShare: round2(use.profile.evidence.tenantShare),
    },
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
