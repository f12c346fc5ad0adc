/**
 * What a decision returns into a workflow's history: enough to act on it (status, structure,
 * legs, lots, strike rule) and to count it (reasons, walls), plus the models it used. The whole
 * why (factors, signals, combiner, candidates, costs) stays in the decisions table: carrying it
 * through every tick made a trading day's history about 1 MB.
 */
import type { Regime } from '../market/types';
import type { WallOutcome } from '../risk/types';
import type { Decision } from './types';

/** A wall as the outcome carries it: the numbers only for a wall that failed. */
export interface GateBrief {
  readonly wall: WallOutcome['wall'];
  readonly pass: boolean;
  readonly reasonCode: string | null;
  readonly numbers?: WallOutcome['numbers'];
}

export interface DecisionOutcome extends Pick<
  Decision,
  | 'decisionId'
  | 'status'
  | 'reasons'
  | 'instrument'
  | 'tradingDate'
  | 'at'
  | 'snapshotId'
  | 'structure'
  | 'lots'
  | 'legs'
  | 'strikes'
  | 'netEv'
  | 'models'
> {
  readonly regime: Regime;
  readonly gates: readonly GateBrief[];
}

export function decisionOutcome(d: Decision): DecisionOutcome {
  return {
    decisionId: d.decisionId,
    status: d.status,
    reasons: d.reasons,
    instrument: d.instrument,
    tradingDate: d.tradingDate,
    at: d.at,
    snapshotId: d.snapshotId,
    regime: d.regime.regime,
    structure: d.structure,
    lots: d.lots,
    legs: d.legs,
    strikes: d.strikes,
    netEv: d.netEv,
    gates: d.gates.map((g) =>
      g.pass
        ? { wall: g.wall, pass: true, reasonCode: g.reasonCode }
        : { wall: g.wall, pass: false, reasonCode: g.reasonCode, numbers: g.numbers },
    ),
    models: d.models,
  };
}
