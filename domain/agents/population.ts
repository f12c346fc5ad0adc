/**
 * The population of eight regime-specialised agents and its weekly step. Each agent learns only
 * from closed trades of its own regime; the step evaluates every agent, acting greedily, on the
 * held-out window (the last 30 trading days before `asOf`) and lets the best out-of-sample agent
 * drive each regime. An agent that has learned from any day of that window is refused: it would
 * be graded on its own training data.
 *
 * Held-out value per round: with full information (the net P&L every structure would have made,
 * as a simulation gives) the reward of the arm the agent picks; with only the trade that was
 * taken, inverse-propensity weighting of that trade when the agent picks the same arm. The value
 * is self-normalised: (Σ direct + Σ w·r) / (n_direct + Σ w), w = 1{same arm} / propensity.
 */
import type { IsoDate } from '../dates';
import { REGIMES, type Regime } from '../market/types';
import { dec, type Rupees } from '../money';
import type { StructureKind } from '../strategies/types';
import { assertArm } from './action-space';
import type { AgentState } from './agent-state';
import { LinUcbAgent } from './linucb';
import type { AgentSpec, StrategyAgent } from './strategy-agent';
import { ThompsonAgent } from './thompson';

/** Three calm, three trending, two panic agents: different exploration styles per regime. */
export const AGENT_SPECS: readonly AgentSpec[] = [
  { id: 'calm-ucb-narrow', regime: 'calm', algorithm: 'linucb', alpha: 0.5 },
  { id: 'calm-ucb-wide', regime: 'calm', algorithm: 'linucb', alpha: 1.5 },
  { id: 'calm-thompson', regime: 'calm', algorithm: 'thompson', noise: 0.5 },
  { id: 'trending-ucb-narrow', regime: 'trending', algorithm: 'linucb', alpha: 0.5 },
  { id: 'trending-ucb-wide', regime: 'trending', algorithm: 'linucb', alpha: 1.5 },
  { id: 'trending-thompson', regime: 'trending', algorithm: 'thompson', noise: 0.5 },
  { id: 'panic-ucb', regime: 'panic', algorithm: 'linucb', alpha: 1 },
  { id: 'panic-thompson', regime: 'panic', algorithm: 'thompson', noise: 0.5 },
];

export function createAgent(spec: AgentSpec): StrategyAgent {
  return spec.algorithm === 'linucb' ? new LinUcbAgent(spec) : new ThompsonAgent(spec);
}

export interface Population {
  readonly agents: readonly StrategyAgent[];
  readonly states: Readonly<Record<string, AgentState>>;
}

export function createPopulation(specs: readonly AgentSpec[] = AGENT_SPECS): Population {
  const ids = new Set(specs.map((s) => s.id));
  if (ids.size !== specs.length) throw new RangeError('agent ids must be unique');
  const agents = specs.map(createAgent);
  return { agents, states: Object.fromEntries(agents.map((a) => [a.spec.id, a.init()])) };
}

export interface ClosedTrade {
  readonly date: IsoDate;
  readonly regime: Regime;
  readonly context: readonly number[];
  readonly arm: StructureKind;
  /** Realised net P&L after costs. */
  readonly netPnl: Rupees;
}

/** Each agent learns from the trades of its own regime, in date order. */
export function trainPopulation(population: Population, trades: readonly ClosedTrade[]): Population {
  const sorted = [...trades].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const states: Record<string, AgentState> = { ...population.states };
  for (const agent of population.agents) {
    let s = states[agent.spec.id]!;
    for (const t of sorted) if (t.regime === agent.spec.regime) s = agent.update(s, t.context, t.arm, t.netPnl, t.date);
    states[agent.spec.id] = s;
  }
  return { agents: population.agents, states };
}

export interface HeldOutRound {
  readonly date: IsoDate;
  readonly regime: Regime;
  readonly context: readonly number[];
  /** Net P&L (rupees) of every structure, when known (simulation). */
  readonly rewards?: Readonly<Record<StructureKind, Rupees>>;
  /** The trade actually taken and the probability its policy gave that arm. */
  readonly logged?: { readonly arm: StructureKind; readonly netPnl: Rupees; readonly propensity: number };
}

export interface AgentEvaluation {
  /** Mean net P&L per round in rupees; null when no round could be scored. */
  readonly value: number | null;
  readonly rounds: number;
  /** Effective weight behind the value (direct rounds + Σ IPS weights). */
  readonly weight: number;
}

export function evaluateAgent(
  agent: StrategyAgent,
  state: AgentState,
  rounds: readonly HeldOutRound[],
): AgentEvaluation {
  let sum = 0;
  let weight = 0;
  for (const r of rounds) {
    const arm = agent.greedy(state, r.context);
    if (r.rewards) {
      sum += dec(r.rewards[arm]).toNumber();
      weight += 1;
    } else if (r.logged) {
      if (!(r.logged.propensity > 0 && r.logged.propensity <= 1))
        throw new RangeError(`propensity must be in (0, 1], got ${r.logged.propensity}`);
      if (assertArm(r.logged.arm, 'logged trade') === arm) {
        sum += dec(r.logged.netPnl).toNumber() / r.logged.propensity;
        weight += 1 / r.logged.propensity;
      }
    }
  }
  return { value: weight > 0 ? sum / weight : null, rounds: rounds.length, weight };
}

export const HELD_OUT_TRADING_DAYS = 30;

/** The rounds of the last `days` distinct trading dates before `asOf`. */
export function heldOutWindow(
  rounds: readonly HeldOutRound[],
  asOf: IsoDate,
  days = HELD_OUT_TRADING_DAYS,
): HeldOutRound[] {
  const dates = [...new Set(rounds.filter((r) => r.date < asOf).map((r) => r.date))].sort().slice(-days);
  const keep = new Set(dates);
  return rounds.filter((r) => keep.has(r.date));
}

export interface PopulationStep {
  readonly window: { readonly from: IsoDate | null; readonly to: IsoDate | null; readonly rounds: number };
  /** Every agent's held-out value on every regime's rounds. */
  readonly scores: readonly {
    readonly agentId: string;
    readonly regime: Regime;
    readonly evaluation: AgentEvaluation;
  }[];
  /** The agent that drives each regime (null when the window has no scoreable round of it). */
  readonly drivers: Readonly<Record<Regime, string | null>>;
}

export function populationStep(
  population: Population,
  rounds: readonly HeldOutRound[],
  asOf: IsoDate,
  days = HELD_OUT_TRADING_DAYS,
): PopulationStep {
  const window = heldOutWindow(rounds, asOf, days);
  const from = window.length ? window.map((r) => r.date).sort()[0]! : null;
  for (const agent of population.agents) {
    const seen = population.states[agent.spec.id]!.trainedThrough;
    if (from !== null && seen !== null && seen >= from)
      throw new RangeError(`agent ${agent.spec.id} learned through ${seen}, inside the held-out window from ${from}`);
  }
  const scores: PopulationStep['scores'][number][] = [];
  const drivers = {} as Record<Regime, string | null>;
  for (const regime of REGIMES) {
    const regimeRounds = window.filter((r) => r.regime === regime);
    let best: { id: string; value: number; specialist: boolean } | null = null;
    for (const agent of population.agents) {
      const evaluation = evaluateAgent(agent, population.states[agent.spec.id]!, regimeRounds);
      scores.push({ agentId: agent.spec.id, regime, evaluation });
      if (evaluation.value === null) continue;
      const cand = { id: agent.spec.id, value: evaluation.value, specialist: agent.spec.regime === regime };
      if (!best || cand.value > best.value || (cand.value === best.value && cand.specialist && !best.specialist))
        best = cand;
    }
    drivers[regime] = best?.id ?? null;
  }
  return {
    window: {
      from,
      to: window.length
        ? window
            .map((r) => r.date)
            .sort()
            .at(-1)!
        : null,
      rounds: window.length,
    },
    scores,
    drivers,
  };
}
