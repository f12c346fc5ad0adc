/**
 * The eight strategy agents as one model type (their states and which agent drives each
 * regime): the population step chooses the drivers by comparing the agents with each other on
 * the same held-out window, so they are versioned and rolled back together. Each agent learns
 * from its regime's simulated trades (every structure's per-lot net P&L after costs over the
 * signal horizon: full information) on the training runs' train days; the step and the contract
 * score them on unseen runs' later days. Contexts come from a signal stack fitted on the same
 * training rows, stored in the artifact so the holdout can be re-measured from it alone.
 */
import { agentContext, createPopulation, populationStep, trainPopulation } from '../../domain/agents';
import type { ClosedTrade, HeldOutRound } from '../../domain/agents';
import { stackView, trainSignalStack, type SignalStack } from '../../domain/combiner';
import { nextTradingDay } from '../../domain/calendar';
import type { AgentsModel } from '../../domain/decision/types';
import { rupees } from '../../domain/money';
import { ARMS } from '../../domain/agents';
import type { StructureKind } from '../../domain/strategies';
import { rewardedRows, RUN_FEATURES, runSpec, type RewardedRow } from '../data/decision-runs';
import type { Example } from '../data/rule1';
import { jsonArtifact, yieldToEventLoop, type Trainer, type TrainedModel } from './trainer';

const TYPE_ID = 'strategy_agents';
const featureSchema = { features: [...RUN_FEATURES], output: 'strategy_agents' };

export interface StrategyAgentsArtifact {
  readonly agents: AgentsModel;
  readonly contextStack: SignalStack;
  /** Held-out rounds start after this date (the agents' last training day). */
  readonly trainedThrough: string;
}

interface Round extends HeldOutRound {
  readonly available: number;
  readonly mean: number;
}

function rounds(stack: SignalStack, rows: readonly RewardedRow[]): Round[] {
  const out: Round[] = [];
  for (const r of rows) {
    const v = stackView(stack, r.factors);
    if (v.result.outcome !== 'view') continue;
    const known = ARMS.filter((a) => r.rewards[a] !== null);
    if (known.length === 0) continue;
    const mean = known.reduce((s, a) => s + r.rewards[a]!, 0) / known.length;
    // A structure that could not be built is never better than the average of those that could.
    const rewards = Object.fromEntries(
      ARMS.map((a) => [a, rupees((r.rewards[a] ?? Math.min(mean, 0)).toFixed(2))]),
    ) as Record<StructureKind, string>;
    out.push({
      date: r.date,
      regime: v.detection.regime,
      context: agentContext(v.result.view, r.factors),
      rewards,
      available: known.length,
      mean,
    });
  }
  return out;
}

/** Mean per-lot net P&L of the drivers' greedy picks minus that of a uniform pick, on unseen rounds. */
export function agentsAdvantage(artifact: StrategyAgentsArtifact, rows: readonly RewardedRow[]): number {
  const held = rounds(
    artifact.contextStack,
    rows.filter((r) => r.date > artifact.trainedThrough),
  );
  if (held.length === 0) return 0;
  const population = createPopulation();
  let sum = 0;
  for (const r of held) {
    const id = artifact.agents.drivers[r.regime] ?? population.agents.find((a) => a.spec.regime === r.regime)!.spec.id;
    const agent = population.agents.find((a) => a.spec.id === id)!;
    const arm = agent.greedy(artifact.agents.states[id]!, r.context);
    sum += Number(r.rewards![arm]) - r.mean;
  }
  return sum / held.length;
}

export const holdoutRewardedRows = (holdout: readonly Example[]) =>
  rewardedRows(
    holdout.map((e) => runSpec(e.x)),
    'holdout',
  );

export const strategyAgentsTrainer: Trainer = {
  typeId: TYPE_ID,
  framework: 'json',
  featureSchema,
  holdout: { fraction: 0.25, mode: 'interleave' },
  async train(train, holdout, options = {}): Promise<TrainedModel> {
    options.onProgress?.({ done: 0, total: 3, note: 'simulating runs and rewards' });
    const fit = rewardedRows(
      train.map((e) => runSpec(e.x)),
      'fit',
    );
    const trainRows = fit.filter((r) => r.split === 'train');
    await yieldToEventLoop();
    options.onProgress?.({ done: 1, total: 3, note: 'fitting the context stack and the agents' });
    const contextStack = trainSignalStack(fit.filter((r) => r.split !== 'test'));
    const trades: ClosedTrade[] = rounds(contextStack, trainRows).flatMap((r) =>
      ARMS.map((arm) => ({ date: r.date, regime: r.regime, context: r.context, arm, netPnl: r.rewards![arm] })),
    );
    const population = trainPopulation(createPopulation(), trades);
    const trainedThrough = trainRows.reduce((m, r) => (r.date > m ? r.date : m), '');
    // The step's window: the fit runs' later days (calibration), after everything the agents saw.
    const window = rounds(
      contextStack,
      fit.filter((r) => r.date > trainedThrough),
    );
    const lastDate = window.reduce((m, r) => (r.date > m ? r.date : m), trainedThrough);
    const step = populationStep(population, window, nextTradingDay(lastDate));
    await yieldToEventLoop();
    options.onProgress?.({ done: 2, total: 3, note: 'scoring unseen runs' });
    const artifact: StrategyAgentsArtifact = {
      agents: { version: 1, states: population.states, drivers: step.drivers },
      contextStack,
      trainedThrough,
    };
    const advantage = agentsAdvantage(artifact, holdoutRewardedRows(holdout));
    return {
      framework: 'json',
      artifact: jsonArtifact(TYPE_ID, artifact),
      featureSchema,
      hyperparameters: { runs: train.length + holdout.length, agents: population.agents.length, horizonMinutes: 60 },
      trainMetrics: { trades: trades.length, window_rounds: window.length },
      validationMetrics: { holdout_advantage_per_lot: advantage, holdout_runs: holdout.length },
    };
  },
};
