/**
 * The tail-hedge roll, decided from data: which protective puts expire inside the roll window,
 * the replacement put nearest the target delta on the next eligible expiry (the chain's quotes
 * carry Black-76 deltas on its skewed IVs; buildStructure's PROTECTIVE_PUT picks by them) or an
 * equivalent strike that is cheaper after costs, and
 * whether premium plus costs fit what is left of the year's hedge budget. Buy first, then
 * sell: the plan lists the purchase and the exits separately so the caller can order them.
 */
import type { IsoDate } from '../dates';
import { computeCosts } from '../costs/engine';
import { evaluateHedgeBudget } from '../costs/decision';
import type { Instrument } from '../instruments';
import type { OptionChain } from '../market/types';
import { dec, rupees, type DecimalInput, type Rupees } from '../money';
import { buildStructure, quoteAt, structureCostLegs, type Structure } from '../strategies';
import { insideRollWindow, nextEligibleExpiry } from './roll-window';

export interface HedgeSettingsView {
  readonly instrument: Instrument;
  /** Target |delta| in delta points: 5 means 0.05. */
  readonly targetDelta: number;
  /** Trading days before expiry a hedge is rolled. */
  readonly windowDays: number;
  /** Annual hedge budget as a percentage of capital, e.g. "2" (2 %). */
  readonly budgetPct: string;
  /** Lots bought when there is no hedge to replace. */
  readonly lots: number;
}

/** An open long put the tenant holds as its tail hedge. */
export interface HeldPut {
  readonly tradingsymbol: string;
  readonly expiry: IsoDate;
  readonly strike: number;
  /** Units (positive: long). */
  readonly quantity: number;
}

export interface PutOrder {
  readonly structure: Structure;
  readonly lots: number;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly delta: number;
  /** Per unit, at the touch (ask for a buy, bid for a sell). */
  readonly price: number;
  /** Price × units, exact rupees. */
  readonly premium: Rupees;
}

export interface HedgeBudgetView {
  readonly capital: Rupees;
  readonly budget: Rupees;
  readonly spentThisYear: Rupees;
  /** Premium of the new put plus the costs of every order of the roll. */
  readonly rollCost: Rupees;
  readonly remaining: Rupees;
}

export type HedgePlan =
  | { readonly action: 'none'; readonly reason: string; readonly held: readonly HeldPut[] }
  | {
      readonly action: 'refused' | 'roll';
      readonly reason: string;
      /** The expiry the new put is bought on: the roll's business key. */
      readonly expiry: IsoDate;
      readonly buy: PutOrder;
      /** Puts to sell once the new one has filled (empty: the first hedge). */
      readonly sell: readonly PutOrder[];
      readonly budget: HedgeBudgetView;
    };

export interface HedgePlanInput {
  readonly date: IsoDate;
  readonly chain: OptionChain;
  readonly settings: HedgeSettingsView;
  readonly held: readonly HeldPut[];
  readonly capital: DecimalInput;
  /** Premium plus costs of hedge purchases so far this calendar year. */
  readonly spentThisYear: DecimalInput;
}

function putOrder(structure: Structure, lots: number): PutOrder {
  const leg = structure.legs[0]!;
  const price = leg.side === 'BUY' ? leg.ask : leg.bid;
  return {
    structure,
    lots,
    expiry: leg.expiry,
    strike: leg.strike,
    delta: leg.delta,
    price,
    premium: rupees(dec(price).times(lots * structure.lotSize)),
  };
}

/** The held put as a one-leg structure to sell, priced on the chain (undefined: not quoted). */
function exitOf(chain: OptionChain, template: Structure, put: HeldPut): PutOrder | undefined {
  const e = chain.expiries.find((x) => x.expiry === put.expiry);
  const q = e && quoteAt(e, put.strike, 'put');
  if (!q) return undefined;
  const leg = { ...template.legs[0]!, ...q, side: 'SELL' as const, expiry: put.expiry, ratio: 1 };
  return putOrder({ ...template, legs: [leg], nearestExpiry: put.expiry }, put.quantity / chain.lotSize);
}

/** Puts this close to the target delta protect alike: among them the cheaper after costs is bought. */
export const EQUIVALENT_DELTA = 0.01;

/** Premium at the touch plus every charge of buying `lots` of the one-leg structure. */
function costToBuy(structure: Structure, lots: number, date: IsoDate) {
  const premium = dec(structure.legs[0]!.ask).times(lots * structure.lotSize);
  return premium.plus(computeCosts(structureCostLegs(structure, lots, { date, price: 'natural' })).total);
}

/**
 * The put nearest the target delta, or an equivalent one (within EQUIVALENT_DELTA of the target,
 * or as near as the nearest) that costs less after costs; a tie keeps the nearest.
 */
function cheapestEquivalentPut(
  chain: OptionChain,
  nearest: Structure,
  target: number,
  lots: number,
  date: IsoDate,
): Structure {
  const leg = nearest.legs[0]!;
  const e = chain.expiries.find((x) => x.expiry === leg.expiry);
  if (!e) return nearest;
  const tolerance = Math.max(EQUIVALENT_DELTA, Math.abs(Math.abs(leg.delta) - target));
  let best = nearest;
  let bestCost = costToBuy(nearest, lots, date);
  for (const q of e.quotes) {
    if (q.type !== 'put' || q.strike === leg.strike || q.ask <= 0 || q.strike > e.forward) continue;
    if (Math.abs(Math.abs(q.delta) - target) > tolerance) continue;
    const built = buildStructure(chain, { kind: 'PROTECTIVE_PUT', delta: Math.abs(q.delta), expiry: leg.expiry });
    if (!built.ok || built.structure.legs[0]!.strike !== q.strike) continue;
    const cost = costToBuy(built.structure, lots, date);
    if (cost.lessThan(bestCost)) [best, bestCost] = [built.structure, cost];
  }
  return best;
}

export function planHedgeRoll(input: HedgePlanInput): HedgePlan {
  const { date, chain, settings, held } = input;
  const due = held.filter((p) => insideRollWindow(date, p.expiry, settings.windowDays));
  const alive = held.filter((p) => p.expiry >= date);
  if (alive.length > 0 && due.length === 0) {
    const next = alive.map((p) => p.expiry).sort()[0]!;
    return {
      action: 'none',
      reason: `hedged: the nearest hedge expires ${next}, outside the ${settings.windowDays}-trading-day roll window`,
      held,
    };
  }
  const target = nextEligibleExpiry(chain, date, settings.windowDays);
  if (!target)
    return { action: 'none', reason: `no listed expiry beyond the ${settings.windowDays}-day roll window`, held };
  const lots = due.length > 0 ? due.reduce((n, p) => n + p.quantity, 0) / chain.lotSize : Math.max(1, settings.lots);
  const built = buildStructure(chain, {
    kind: 'PROTECTIVE_PUT',
    delta: settings.targetDelta / 100,
    expiry: target.expiry,
  });
  if (!built.ok) return { action: 'none', reason: `no replacement put: ${built.detail}`, held };
  const buy = putOrder(cheapestEquivalentPut(chain, built.structure, settings.targetDelta / 100, lots, date), lots);
  const sell: PutOrder[] = [];
  for (const p of due) {
    const exit = exitOf(chain, built.structure, p);
    if (!exit) return { action: 'none', reason: `${p.tradingsymbol} is not quoted on ${date}: cannot sell it`, held };
    sell.push(exit);
  }
  const costs = computeCosts([
    ...structureCostLegs(buy.structure, lots, { date, price: 'natural' }),
    ...sell.flatMap((s) => structureCostLegs(s.structure, s.lots, { date, price: 'natural' })),
  ]).total;
  const rollCost = dec(buy.premium).plus(costs);
  const verdict = evaluateHedgeBudget({
    capital: input.capital,
    // The rule compares one period's spend with a share of capital; the period here is the year.
    monthSpendSoFar: input.spentThisYear,
    hedgeCost: rollCost,
    maxMonthlyShare: dec(settings.budgetPct).dividedBy(100),
  });
  const budget: HedgeBudgetView = {
    capital: rupees(input.capital),
    budget: verdict.numbers.budget!,
    spentThisYear: rupees(input.spentThisYear),
    rollCost: rupees(rollCost),
    remaining: rupees(dec(verdict.numbers.budget!).minus(input.spentThisYear)),
  };
  const what = sell.length > 0 ? `roll ${sell.length} put(s) expiring ${due[0]!.expiry}` : 'buy the first hedge';
  if (!verdict.accept)
    return {
      action: 'refused',
      reason:
        `HEDGE_BUDGET_EXCEEDED: ${what} costs ₹${budget.rollCost} but ₹${budget.remaining} of the year's ` +
        `₹${budget.budget} hedge budget is left`,
      expiry: target.expiry,
      buy,
      sell,
      budget,
    };
  return { action: 'roll', reason: what, expiry: target.expiry, buy, sell, budget };
}
