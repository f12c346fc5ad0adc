/**
 * An agent's state, plain JSON: per arm the ridge statistics of a linear reward model (A⁻¹ and
 * b, with A = λI + Σ x·xᵀ and b = Σ r·x over the rounds that arm was played), the generator
 * state for Thompson sampling, and the last date it learned from (so a held-out evaluation can
 * refuse an agent that has already seen the window).
 */
import type { IsoDate } from '../dates';
import type { Regime } from '../market/types';
import { type RngState } from '../random';
import type { StructureKind } from '../strategies/types';
import { ARMS, assertArm } from './action-space';
import { CONTEXT_FEATURES } from './context';

export const AGENT_STATE_VERSION = 1;
export const AGENT_ALGORITHMS = ['linucb', 'thompson'] as const;
export type AgentAlgorithm = (typeof AGENT_ALGORITHMS)[number];

export interface ArmStatistics {
  /** (λI + Σ x·xᵀ)⁻¹, kept up to date by Sherman–Morrison. */
  readonly aInv: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly plays: number;
}

export interface AgentState {
  readonly version: typeof AGENT_STATE_VERSION;
  readonly agentId: string;
  readonly algorithm: AgentAlgorithm;
  /** The regime whose trades it learns from. */
  readonly regime: Regime;
  readonly contextFeatures: readonly string[];
  /** Rupees of net P&L per unit of reward (rewards are learned in these units). */
  readonly rewardScale: number;
  readonly arms: Readonly<Record<StructureKind, ArmStatistics>>;
  /** Thompson sampling's generator (null for LinUCB). */
  readonly rng: RngState | null;
  readonly updates: number;
  readonly trainedThrough: IsoDate | null;
}

/** Validates a state read back from JSON: version, the eight arms exactly, matrix shapes. */
export function parseAgentState(value: unknown): AgentState {
  const s = value as AgentState;
  if (typeof s !== 'object' || s === null || s.version !== AGENT_STATE_VERSION)
    throw new RangeError(`agent state: unknown version ${String((s as AgentState | null)?.version)}`);
  const d = s.contextFeatures.length;
  if (s.contextFeatures.join() !== CONTEXT_FEATURES.join())
    throw new RangeError(`agent state ${s.agentId}: context layout ${s.contextFeatures.join()} is not the current one`);
  const keys = Object.keys(s.arms);
  for (const k of keys) assertArm(k, `agent state ${s.agentId}`);
  if (keys.length !== ARMS.length) throw new RangeError(`agent state ${s.agentId}: ${keys.length} arms, not 8`);
  for (const arm of ARMS) {
    const a = s.arms[arm];
    if (a.b.length !== d || a.aInv.length !== d || a.aInv.some((row) => row.length !== d))
      throw new RangeError(`agent state ${s.agentId}: arm ${arm} is not ${d}-dimensional`);
  }
  return s;
}
