import { Rng } from '../random';
import { STRUCTURE_KINDS, type StructureKind } from '../strategies/types';
import { ARMS, InvalidArmError, type ArmScores } from './action-space';
import { parseAgentState, type AgentState } from './agent-state';
import { CONTEXT_DIMENSION } from './context';
import { LinUcbAgent } from './linucb';
import { AGENT_SPECS, createAgent } from './population';
import { StrategyAgent, type AgentChoice } from './strategy-agent';

const context = (rng: Rng) => [1, ...Array.from({ length: CONTEXT_DIMENSION - 1 }, () => rng.normal() * 2)];

/** A subclass that lies to the type system: what a bug or a hand-edited artifact could do. */
class RogueAgent extends StrategyAgent {
  readonly algorithm = 'linucb' as const;
  constructor(private readonly scores: Record<string, number>) {
    super({ id: 'rogue', regime: 'calm', algorithm: 'linucb' });
  }
  protected override explore(state: AgentState): { scores: ArmScores; state: AgentState } {
    return { scores: this.scores as unknown as ArmScores, state };
  }
}

const allArms = (score: (a: StructureKind) => number) => Object.fromEntries(ARMS.map((a) => [a, score(a)]));

describe('the action space is exactly the eight structure templates', () => {
  it('ARMS is the strategies’ closed list', () => {
    expect(ARMS).toEqual(STRUCTURE_KINDS);
    expect(ARMS).toHaveLength(8);
  });

  it('does not compile an agent that scores or returns a ninth structure', () => {
    class NinthScore extends StrategyAgent {
      readonly algorithm = 'linucb' as const;
      protected override explore(state: AgentState): { scores: ArmScores; state: AgentState } {
        const base = allArms(() => 0) as ArmScores;
        // @ts-expect-error — 'NAKED_CALL' is not a StructureKind: ArmScores has exactly the eight keys.
        return { scores: { ...base, NAKED_CALL: 1 }, state };
      }
    }
    class NinthChoice extends LinUcbAgent {
      override choose(state: AgentState, ctx: readonly number[]): AgentChoice {
        const c = super.choose(state, ctx);
        // @ts-expect-error — a choice's arm is a StructureKind.
        return { ...c, arm: 'NAKED_CALL' };
      }
    }
    // @ts-expect-error — a missing arm is as much an error as an extra one.
    const sevenArms: ArmScores = { BULL_PUT_SPREAD: 1 };
    expect([NinthScore, NinthChoice, sevenArms]).toHaveLength(3);
  });

  it('refuses at run time a score for a structure outside the eight, or a missing or NaN score', () => {
    const rogue = new RogueAgent({ ...allArms(() => 0), NAKED_CALL: 5 });
    const x = context(new Rng(1));
    expect(() => rogue.choose(rogue.init(), x)).toThrow(InvalidArmError);
    expect(() => rogue.choose(rogue.init(), x)).toThrow(/"NAKED_CALL" is not one of the eight structures/);
    const missing = allArms(() => 0);
    delete missing.IRON_CONDOR;
    expect(() => new RogueAgent(missing).choose(rogue.init(), x)).toThrow(/score of IRON_CONDOR is undefined/);
    expect(() => new RogueAgent(allArms(() => Number.NaN)).choose(rogue.init(), x)).toThrow(/is NaN/);
  });

  it('refuses an unknown structure offered, learned from, or found in a stored state', () => {
    const agent = createAgent(AGENT_SPECS[0]!);
    const state = agent.init();
    const x = context(new Rng(2));
    expect(() => agent.choose(state, x, ['NAKED_CALL' as StructureKind])).toThrow(InvalidArmError);
    expect(() => agent.update(state, x, 'NAKED_CALL' as StructureKind, '100.00', '2026-01-05')).toThrow(
      InvalidArmError,
    );
    const stored = JSON.parse(JSON.stringify(state)) as { arms: Record<string, unknown> };
    expect(parseAgentState(stored).agentId).toBe(state.agentId);
    stored.arms.NAKED_CALL = stored.arms.IRON_CONDOR;
    expect(() => parseAgentState(stored)).toThrow(InvalidArmError);
  });

  it('every agent of the population returns one of the eight (or of the allowed subset) on random contexts', () => {
    const rng = new Rng(3);
    for (const spec of AGENT_SPECS) {
      const agent = createAgent(spec);
      let state = agent.init();
      for (let t = 0; t < 200; t++) {
        const x = context(rng);
        const allowed = ARMS.filter(() => rng.chance(0.6));
        const offer = allowed.length ? allowed : [ARMS[t % 8]!];
        const c = agent.choose(state, x, offer);
        expect(offer).toContain(c.arm);
        expect(offer).toContain(agent.greedy(c.state, x, offer));
        state = agent.update(c.state, x, c.arm, (rng.normal() * 1000).toFixed(2), '2026-01-05');
      }
      expect(parseAgentState(JSON.parse(JSON.stringify(state))).updates).toBe(200);
    }
  });
});
