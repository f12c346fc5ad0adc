/**
 * The economic gate in front of every trade. Alpha trades must clear their own costs:
 * netEv = expectedPnl − totalCosts, and netEv ≤ 0 refuses the trade. A tail hedge loses money
 * on average by design, so it is judged instead by a risk budget: hedge spend in the calendar
 * month, including this one, may not exceed a set share of capital.
 */
import { dec, rupees, type DecimalInput, type Rupees } from '../money';

export type EconomicsReason = 'NET_EV_NON_POSITIVE' | 'HEDGE_BUDGET_EXCEEDED';

export type EconomicsDecision =
  | { readonly accept: true; readonly reasonCode: null; readonly numbers: Readonly<Record<string, Rupees>> }
  | {
      readonly accept: false;
      readonly reasonCode: EconomicsReason;
      readonly numbers: Readonly<Record<string, Rupees>>;
    };

/** Refuse unless expected P&L strictly exceeds total costs. */
export function evaluateNetEv(expectedPnl: DecimalInput, totalCosts: DecimalInput): EconomicsDecision {
  const netEv = dec(expectedPnl).minus(dec(totalCosts));
  const numbers = { expectedPnl: rupees(expectedPnl), totalCosts: rupees(totalCosts), netEv: rupees(netEv) };
  return netEv.greaterThan(0)
    ? { accept: true, reasonCode: null, numbers }
    : { accept: false, reasonCode: 'NET_EV_NON_POSITIVE', numbers };
}

export interface HedgeBudgetInput {
  readonly capital: DecimalInput;
  /** Hedge premium plus costs already spent this calendar month. */
  readonly monthSpendSoFar: DecimalInput;
  /** Premium plus costs of the hedge being proposed. */
  readonly hedgeCost: DecimalInput;
  /** Largest share of capital the month's hedging may consume, e.g. "0.005" (0.5%). */
  readonly maxMonthlyShare: DecimalInput;
}

export function evaluateHedgeBudget(input: HedgeBudgetInput): EconomicsDecision {
  const budget = dec(input.capital).times(dec(input.maxMonthlyShare));
  const after = dec(input.monthSpendSoFar).plus(dec(input.hedgeCost));
  const numbers = { budget: rupees(budget), spendAfter: rupees(after), hedgeCost: rupees(input.hedgeCost) };
  return after.lessThanOrEqualTo(budget)
    ? { accept: true, reasonCode: null, numbers }
    : { accept: false, reasonCode: 'HEDGE_BUDGET_EXCEEDED', numbers };
}

export type TradeEconomics =
  | { readonly purpose: 'alpha'; readonly expectedPnl: DecimalInput; readonly totalCosts: DecimalInput }
  | ({ readonly purpose: 'tail-hedge' } & HedgeBudgetInput);

/** One entry point for workflows: the right rule for the trade's purpose. */
export function evaluateEconomics(t: TradeEconomics): EconomicsDecision {
  return t.purpose === 'alpha' ? evaluateNetEv(t.expectedPnl, t.totalCosts) : evaluateHedgeBudget(t);
}
