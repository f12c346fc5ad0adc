import { rupees } from '../money';
import { Rng } from '../random';
import type { StructureKind } from '../strategies/types';
import { ARMS } from './action-space';
import { CONTEXT_DIMENSION } from './context';
import { LinUcbAgent } from './linucb';
import type { StrategyAgent } from './strategy-agent';
import { ThompsonAgent } from './thompson';

/**
 * A synthetic linear world: each arm's expected reward is θₐ·x, with θₐ drawn once per seed and
 * Gaussian noise on every reward. The agents never see θ, only rewards of the arms they play.
 */
function world(seed: number) {
  const rng = new Rng(`bandit-world|${seed}`);
  const theta = Object.fromEntries(
    ARMS.map((a) => [a, Array.from({ length: CONTEXT_DIMENSION }, () => rng.normal() * 0.5)]),
  ) as Record<StructureKind, number[]>;
  const context = () => [1, ...Array.from({ length: CONTEXT_DIMENSION - 1 }, () => rng.normal())];
  const mean = (a: StructureKind, x: number[]) => theta[a].reduce((s, t, i) => s + t * x[i]!, 0);
  const reward = (a: StructureKind, x: number[]) => mean(a, x) + 0.5 * rng.normal();
  return { context, mean, reward };
}

function run(agent: StrategyAgent, seed: number, rounds: number) {
  const w = world(seed);
  let state = agent.init();
  const regret: number[] = [];
  const best: boolean[] = [];
  for (let t = 0; t < rounds; t++) {
    const x = w.context();
    const choice = agent.choose(state, x);
    const means = ARMS.map((a) => w.mean(a, x));
    const top = Math.max(...means);
    regret.push(top - w.mean(choice.arm, x));
    best.push(w.mean(choice.arm, x) === top);
    // Rewards reach the agent as rupees (reward scale 1000 ₹ per unit), as closed trades do.
    const day = `2026-01-${String(1 + (t % 28)).padStart(2, '0')}`;
    state = agent.update(choice.state, x, choice.arm, rupees(w.reward(choice.arm, x) * 1000), day);
  }
  return { regret, best, state };
}

const sum = (x: readonly number[]) => x.reduce((a, v) => a + v, 0);

describe.each([
  ['LinUCB', () => new LinUcbAgent({ id: 'ucb', regime: 'calm', algorithm: 'linucb', alpha: 1 })],
  ['Thompson sampling', () => new ThompsonAgent({ id: 'ts', regime: 'calm', algorithm: 'thompson', noise: 0.5 })],
])('%s on a synthetic linear reward', (_name, make) => {
  const ROUNDS = 2000;
  const SEEDS = [1, 2, 3, 4, 5];
  let runs: ReturnType<typeof run>[] = [];
  beforeAll(() => {
    runs = SEEDS.map((seed) => run(make(), seed, ROUNDS));
  });

  it('plays the best arm in more than 80 % of the last 500 rounds, for every seed', () => {
    runs.forEach(({ best }, i) => {
      const share = sum(best.slice(-500).map((b) => (b ? 1 : 0))) / 500;
      expect({ seed: SEEDS[i], share, above: share > 0.8 }).toEqual({ seed: SEEDS[i], share, above: true });
    });
  });

  it('has sublinear regret: the second thousand rounds cost well under the first thousand', () => {
    runs.forEach(({ regret }, i) => {
      const first = sum(regret.slice(0, 1000));
      const second = sum(regret.slice(1000));
      // Linear regret would make them equal; log-like regret makes the second a small fraction.
      expect({ seed: SEEDS[i], ratio: second / first < 0.35 }).toEqual({ seed: SEEDS[i], ratio: true });
    });
  });

  it('is deterministic: the same seed gives the same choices and state', () => {
    const again = run(make(), SEEDS[0]!, ROUNDS);
    expect(JSON.stringify(again.state)).toBe(JSON.stringify(runs[0]!.state));
  });
});
