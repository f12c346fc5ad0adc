/**
 * LinUCB (Li, Chu, Langford & Schapire, 2010, disjoint model): play the arm with the highest
 * upper confidence bound θ̂ₐ·x + α·√(xᵀAₐ⁻¹x) on the expected reward.
 */
import { dot, matVec } from '../signals/learners/linear-algebra';
import { ARMS, type ArmScores } from './action-space';
import type { AgentState } from './agent-state';
import { StrategyAgent } from './strategy-agent';

export class LinUcbAgent extends StrategyAgent {
  readonly algorithm = 'linucb' as const;

  protected override explore(state: AgentState, context: readonly number[]): { scores: ArmScores; state: AgentState } {
    const alpha = this.spec.alpha ?? 1;
    const scores = Object.fromEntries(
      ARMS.map((a) => {
        const { aInv, b } = state.arms[a];
        const width = Math.sqrt(Math.max(0, dot(context, matVec(aInv, context))));
        return [a, dot(matVec(aInv, b), context) + alpha * width];
      }),
    ) as ArmScores;
    return { scores, state };
  }
}
