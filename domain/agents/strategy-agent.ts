/**
 * The base of every strategy agent: a contextual bandit whose only actions are the eight
 * structure templates. Subclasses supply one thing, a score per arm (ArmScores: a record over
 * exactly the eight kinds, so a ninth key or a missing one is a compile error); the base picks
 * among them, validates at run time what it picks and what it is offered, and does the learning
 * (a ridge update shared by LinUCB and Thompson sampling). Agents hold no mutable state: every
 * call takes a state and returns the next one, so they can run inside a workflow.
 */
import type { IsoDate } from '../dates';
import type { Regime } from '../market/types';
import { dec, type Rupees } from '../money';
import { seedState } from '../random';
import { dot, matVec } from '../signals/learners/linear-algebra';
import type { StructureKind } from '../strategies/types';
import { ARMS, assertArm, assertArmScores, type ArmScores } from './action-space';
import { AGENT_STATE_VERSION, type AgentAlgorithm, type AgentState, type ArmStatistics } from './agent-state';
import { CONTEXT_DIMENSION, CONTEXT_FEATURES } from './context';

export interface AgentSpec {
  readonly id: string;
  readonly regime: Regime;
  readonly algorithm: AgentAlgorithm;
  /** LinUCB's exploration width (default 1). */
  readonly alpha?: number;
  /** Thompson sampling's posterior scale (default 0.5). */
  readonly noise?: number;
  /** Ridge prior λ on each arm's reward weights (default 1). */
  readonly prior?: number;
  /** Rupees per reward unit (default 1000). */
  readonly rewardScale?: number;
}

export interface AgentChoice {
  readonly arm: StructureKind;
  readonly scores: ArmScores;
  /** The state after the choice (Thompson sampling advances its generator). */
  readonly state: AgentState;
}

export abstract class StrategyAgent {
  abstract readonly algorithm: AgentAlgorithm;

  constructor(readonly spec: AgentSpec) {}

  /** Scores for every arm on this context: the exploring score when choosing. */
  protected abstract explore(state: AgentState, context: readonly number[]): { scores: ArmScores; state: AgentState };

  init(): AgentState {
    if (this.spec.algorithm !== this.algorithm)
      throw new RangeError(`agent ${this.spec.id} is ${this.spec.algorithm}, not ${this.algorithm}`);
    const lambda = this.spec.prior ?? 1;
    const d = CONTEXT_DIMENSION;
    const arm = (): ArmStatistics => ({
      aInv: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 / lambda : 0))),
      b: new Array<number>(d).fill(0),
      plays: 0,
    });
    return {
      version: AGENT_STATE_VERSION,
      agentId: this.spec.id,
      algorithm: this.algorithm,
      regime: this.spec.regime,
      contextFeatures: [...CONTEXT_FEATURES],
      rewardScale: this.spec.rewardScale ?? 1000,
      arms: Object.fromEntries(ARMS.map((a) => [a, arm()])) as Record<StructureKind, ArmStatistics>,
      rng: this.algorithm === 'thompson' ? seedState(`agent|${this.spec.id}`) : null,
      updates: 0,
      trainedThrough: null,
    };
  }

  /** Picks an arm to play (exploring), among `allowed` (default all eight). */
  choose(state: AgentState, context: readonly number[], allowed: readonly StructureKind[] = ARMS): AgentChoice {
    this.check(state, context);
    const { scores, state: next } = this.explore(state, context);
    return { arm: this.pick(assertArmScores(scores, this.spec.id), allowed), scores, state: next };
  }

  /** The arm with the best expected reward, no exploration: what a held-out evaluation plays. */
  greedy(state: AgentState, context: readonly number[], allowed: readonly StructureKind[] = ARMS): StructureKind {
    this.check(state, context);
    return this.pick(this.expected(state, context), allowed);
  }

  /** The expected reward of each arm (the ridge estimate θ·x), in reward units. */
  expected(state: AgentState, context: readonly number[]): ArmScores {
    return Object.fromEntries(
      ARMS.map((a) => [a, dot(matVec(state.arms[a].aInv, state.arms[a].b), context)]),
    ) as Record<StructureKind, number>;
  }

  /** Learns from one closed trade: reward = its realised net P&L after costs, in rupees. */
  update(state: AgentState, context: readonly number[], arm: StructureKind, netPnl: Rupees, date: IsoDate): AgentState {
    this.check(state, context);
    assertArm(arm, `${this.spec.id}.update`);
    const reward = dec(netPnl).toNumber() / state.rewardScale;
    const s = state.arms[arm];
    const ax = matVec(s.aInv, context);
    const denom = 1 + dot(context, ax);
    const aInv = s.aInv.map((row, i) => row.map((v, j) => v - (ax[i]! * ax[j]!) / denom));
    const b = s.b.map((v, i) => v + reward * context[i]!);
    return {
      ...state,
      arms: { ...state.arms, [arm]: { aInv, b, plays: s.plays + 1 } },
      updates: state.updates + 1,
      trainedThrough: state.trainedThrough === null || date > state.trainedThrough ? date : state.trainedThrough,
    };
  }

  private check(state: AgentState, context: readonly number[]): void {
    if (state.agentId !== this.spec.id) throw new RangeError(`state of ${state.agentId} given to ${this.spec.id}`);
    if (context.length !== CONTEXT_DIMENSION || context.some((v) => !Number.isFinite(v)))
      throw new RangeError(`${this.spec.id}: context must be ${CONTEXT_DIMENSION} finite numbers`);
  }

  /** argmax over the allowed arms (ties: the first in ARMS order); the result is always one of the eight. */
  private pick(scores: ArmScores, allowed: readonly StructureKind[]): StructureKind {
    if (allowed.length === 0) throw new RangeError(`${this.spec.id}: no structure allowed`);
    const offered = new Set(allowed.map((a) => assertArm(a, `${this.spec.id}.allowed`)));
    let best: StructureKind | null = null;
    for (const arm of ARMS) if (offered.has(arm) && (best === null || scores[arm] > scores[best])) best = arm;
    return assertArm(best, this.spec.id);
  }
}
