/**
 * A sized structure against the tenant's state: the seven walls of the castle (the kill-switch
 * wall's numbers say which switches and why) and the tenant's open-lots cap. decide runs every
 * trade through it, and so does anything that must be held to the same rules (the backtest's
 * baseline policy).
 */
import type { Regime } from '../market/types';
import { evaluateCastle } from '../risk/castle';
import { proposalFromStructure } from '../risk/proposal';
import type { WallOutcome } from '../risk/types';
import type { DecisionSnapshot } from '../snapshot/types';
import type { Structure } from '../strategies/types';
import { legLotsPerLot } from './sizing';
import type { DecisionReason, TenantRiskView } from './types';

export interface GateResult {
  /** Every wall's outcome with its numbers. */
  readonly gates: WallOutcome[];
  /** The open-lots cap first, then each failed wall; empty when the structure may be placed. */
  readonly reasons: DecisionReason[];
}

export function gateStructure(
  structure: Structure,
  lots: number,
  tenant: TenantRiskView,
  snapshot: Pick<DecisionSnapshot, 'date' | 'at' | 'instrument'>,
  regime: Regime,
  /** The trade's round-trip costs: its worst case for the loss wall is max loss + these. */
  roundTripCosts?: string,
): GateResult {
  const killSwitches = tenant.killSwitches.filter(
    (k) =>
      k.scope === 'tenant' ||
      (k.scope === 'instrument' && k.target === snapshot.instrument) ||
      (k.scope === 'strategy' && k.target === structure.kind),
  );
  const castle = evaluateCastle({
    proposal: proposalFromStructure(structure, lots, { costs: roundTripCosts }),
    portfolio: tenant.portfolio,
    market: { date: snapshot.date, timestamp: snapshot.at, regime, halted: tenant.halted },
    limits: { ...tenant.limits, killSwitch: killSwitches.length > 0 },
  });
  const gates: WallOutcome[] = castle.outcomes.map((o) =>
    o.wall === 'kill-switch'
      ? {
          ...o,
          numbers: {
            ...o.numbers,
            activeSwitches: killSwitches.length,
            switches: killSwitches.map((k) => `${k.scope}:${k.target} (${k.reason})`).join('; ') || null,
            halted: tenant.halted,
            haltReason: tenant.haltReason,
          },
        }
      : o,
  );
  const reasons: DecisionReason[] = [];
  const perLot = legLotsPerLot(structure);
  const openAfter = tenant.exposure.openLots + lots * perLot;
  if (openAfter > tenant.exposure.maxOpenLots)
    reasons.push({
      code: 'TENANT_MAX_OPEN_LOTS',
      source: 'limits',
      detail:
        `open lots ${tenant.exposure.openLots} + ${lots} lots × ${perLot} legs = ` +
        `${openAfter} > maxOpenLots ${tenant.exposure.maxOpenLots} (${tenant.limitsSource} limits)`,
    });
  for (const g of gates)
    if (!g.pass)
      reasons.push({
        code: g.reasonCode!,
        source: 'castle',
        detail: `${g.wall}: ${Object.entries(g.numbers)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      });
  return { gates, reasons };
}
