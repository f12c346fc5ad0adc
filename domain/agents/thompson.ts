/**
 * Linear Thompson sampling (Agrawal & Goyal, 2013): draw each arm's reward weights from the
 * posterior N(θ̂ₐ, v²·Aₐ⁻¹) and play the arm whose draw scores the context highest. The draws
 * come from the seeded generator kept in the state, so a replay makes the same choices.
 */
import { Rng } from '../random';
import { cholesky, dot, matVec } from '../signals/learners/linear-algebra';
import { ARMS, type ArmScores } from './action-space';
import type { AgentState } from './agent-state';
import { StrategyAgent } from './strategy-agent';

/** Cholesky of A⁻¹; after many rank-one updates rounding can leave it a hair from definite. */
function choleskyJittered(m: readonly (readonly number[])[]): number[][] {
  try {
    return cholesky(m);
  } catch {
    const scale = Math.max(...m.map((row, i) => Math.abs(row[i]!)));
    return cholesky(m.map((row, i) => row.map((v, j) => (i === j ? v + 1e-10 * scale : v))));
  }
}

export class ThompsonAgent extends StrategyAgent {
  readonly algorithm = 'thompson' as const;

  protected override explore(state: AgentState, context: readonly number[]): { scores: ArmScores; state: AgentState } {
    if (!state.rng) throw new RangeError(`${this.spec.id}: Thompson state without a generator`);
    const v = this.spec.noise ?? 0.5;
    const rng = new Rng(state.rng);
    const scores = Object.fromEntries(
      ARMS.map((a) => {
        const { aInv, b } = state.arms[a];
        const l = choleskyJittered(aInv);
        const z = aInv.map(() => rng.normal());
        const draw = matVec(aInv, b).map((m, i) => m + v * dot(l[i]!, z));
        return [a, dot(draw, context)];
      }),
    ) as ArmScores;
    return { scores, state: { ...state, rng: rng.state() } };
  }
}
