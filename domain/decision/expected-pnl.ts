/**
 * Expected P&L of a structure over the signal horizon under the combined view: the second-order
 * greeks expansion E[ΔV] ≈ Δ·E[ΔS] + ½Γ·E[ΔS²] + Θ·Δt per unit, with E[ΔS] the view's signed
 * expected move and E[ΔS²] from its forecast vol. Against Black's identity Θ ≈ −½Γσ²_implied·S²
 * this is ½Γ·S²·Δt·(σ²_forecast − σ²_implied) plus the directional term: a short-vol structure
 * earns when the forecast is below implied (the variance premium), a long-vol one when above.
 * Implied vol is assumed unchanged over the horizon (vega term zero): no module forecasts it.
 */
import { SESSION_MINUTES } from '../calendar';
import type { CombinedView } from '../combiner/combine';
import { rupees } from '../money';
import type { Structure } from '../strategies/types';
import type { ExpectedPnl } from './types';

export function expectedPnl(s: Structure, lots: number, view: CombinedView, spot: number): ExpectedPnl {
  const dtYears = view.horizonMinutes / (SESSION_MINUTES * 252);
  const dS = spot * view.expectedMove.signed;
  const dS2 = (view.vol.forecast * spot) ** 2 * dtYears + dS * dS;
  // Theta is per calendar year: the horizon's share of a trading year is the same share of it.
  const perUnit = {
    delta: s.greeks.delta * dS,
    gamma: 0.5 * s.greeks.gamma * dS2,
    theta: s.greeks.theta * dtYears,
  };
  const quantity = lots * s.lotSize;
  const total = (perUnit.delta + perUnit.gamma + perUnit.theta) * quantity;
  return {
    total: rupees(total.toFixed(2)),
    perUnit,
    horizonMinutes: view.horizonMinutes,
    forecastVol: view.vol.forecast,
    expectedReturn: view.expectedMove.signed,
  };
}
