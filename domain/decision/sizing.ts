/**
 * Lots for a structure within the tenant's limits: the per-order cap, what is left of the
 * day's lots, the capital-at-risk share of free capital, the day's loss budget (limit + today's
 * P&L − the open book's worst case, loss-budget.ts) over one lot's worst loss, and the exposure
 * left (open leg-lots cap). At least one lot is proposed even when a limit allows none, so the
 * castle refuses it with its numbers rather than the decision going quiet.
 */
import { dec, floorDiv, type Decimal, type Rupees } from '../money';
import type { PortfolioState, TenantLimits } from '../risk/types';
import type { Structure } from '../strategies/types';
import { lossBudget, worstLossPerLot } from './loss-budget';
import { adaptToProfile, type ProfileInUse } from './tenant-adaptation';

export interface Sizing {
  readonly lots: number;
  readonly numbers: Readonly<Record<string, number | string>>;
}

/** Leg-lots one lot of a structure opens (Σ leg ratios): what it adds to the tenant's exposure. */
export const legLotsPerLot = (s: Structure): number => s.legs.reduce((n, l) => n + l.ratio, 0);

/** What the tenant may put at risk, whatever the structure: computed once for all of a decision's candidates. */
export interface SizingBudget {
  /** The capital-at-risk share of free capital. */
  readonly riskBudget: Rupees;
  /** The day's loss budget left (loss-budget.ts). */
  readonly headroom: Decimal;
}

export function sizingBudget(limits: Omit<TenantLimits, 'killSwitch'>, portfolio: PortfolioState): SizingBudget {
  return {
    riskBudget: dec(portfolio.freeCapital).times(dec(limits.maxCapitalAtRiskShare)).toFixed(2),
    headroom: lossBudget(limits, portfolio),
  };
}

/*
 * One lot's losses depend on the structure alone; a structure built once for a tick (many tenants
 * decide on it) is sized many times. Structures are immutable, so the memo answers as a recompute would.
 */
const perLot = new WeakMap<Structure, { readonly maxLoss: Decimal; readonly worst: Decimal }>();
function lotLosses(s: Structure): { readonly maxLoss: Decimal; readonly worst: Decimal } {
  let l = perLot.get(s);
  if (!l) perLot.set(s, (l = { maxLoss: dec(s.maxLossPerUnit).times(s.lotSize), worst: worstLossPerLot(s) }));
  return l;
}

export function sizeStructure(
  s: Structure,
  limits: Omit<TenantLimits, 'killSwitch'>,
  portfolio: PortfolioState,
  exposure?: { readonly openLots: number; readonly maxOpenLots: number },
  profile?: ProfileInUse | null,
  budget: SizingBudget = sizingBudget(limits, portfolio),
): Sizing {
  const { maxLoss: lossPerLot, worst: worstPerLot } = lotLosses(s);
  const { riskBudget, headroom } = budget;
  const byCapital = lossPerLot.greaterThan(0) ? floorDiv(riskBudget, lossPerLot) : limits.maxLotsPerOrder;
  const byLoss = worstPerLot.greaterThan(0) ? floorDiv(headroom, worstPerLot) : limits.maxLotsPerOrder;
  const leftToday = Math.max(0, limits.maxLotsPerDay - portfolio.lotsTradedToday);
  const byExposure = exposure
    ? Math.floor(Math.max(0, exposure.maxOpenLots - exposure.openLots) / Math.max(1, legLotsPerLot(s)))
    : limits.maxLotsPerOrder;
  const allowed = Math.min(limits.maxLotsPerOrder, leftToday, Math.max(0, byCapital), Math.max(0, byLoss), byExposure);
  // The tenant's profile may size below the limits' answer (its typical size), never above it.
  const adapted = adaptToProfile(allowed, profile);
  return {
    lots: Math.max(1, adapted.lots),
    numbers: {
      maxLotsPerOrder: limits.maxLotsPerOrder,
      lotsLeftToday: leftToday,
      riskBudget,
      maxLossPerLot: lossPerLot.toFixed(2),
      lotsByCapital: byCapital,
      lossHeadroom: headroom.toFixed(2),
      worstLossPerLot: worstPerLot.toFixed(2),
      lotsByLossHeadroom: byLoss,
      ...(exposure ? { lotsByExposure: byExposure } : {}),
      allowed,
      ...adapted.numbers,
    },
  };
}
