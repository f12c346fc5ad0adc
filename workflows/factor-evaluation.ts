/**
 * FactorEvaluation, weekly (Saturday, from a schedule) or on demand: the out-of-sample IC of
 * every factor for each week of the rolling window — computed once per week and kept, so a
 * run normally computes only the newest week — then one review of the pool on that window: a
 * production factor whose IC has decayed below the bar is de-promoted (switched off: decide
 * gives it to the stack as missing), a candidate that clears the promotion bar comes back,
 * each change audited. Idempotent per week end: a second run records nothing new.
 */
import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { FactorEvaluationActivities } from '../activities/factor-evaluation';
import type { FactorEvaluationInput, FactorEvaluationResult } from '../contracts/factor-evaluation';
import { dataVersionAt } from '../contracts/models';
import { isIsoDate } from '../domain/dates';
import { DEFAULT_POOL_RULE, evaluationPeriods, weekEndOn } from '../domain/factors/evaluation';

const weekly = proxyActivities<FactorEvaluationActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export async function factorEvaluation(input: FactorEvaluationInput = {}): Promise<FactorEvaluationResult> {
  if (input.weekEnd !== undefined && !isIsoDate(input.weekEnd))
    throw ApplicationFailure.nonRetryable(
      `weekEnd: expected a date YYYY-MM-DD, got ${input.weekEnd}`,
      'BadEvaluationInput',
    );
  const weekEnd = weekEndOn(input.weekEnd ?? dataVersionAt(workflowInfo().startTime.getTime()));
  const rule = { ...DEFAULT_POOL_RULE, ...input.rule };
  const ruleOk =
    rule.promoteAt > rule.demoteBelow && Number.isInteger(rule.window) && rule.window >= 2 && rule.window <= 52;
  if (!ruleOk)
    throw ApplicationFailure.nonRetryable(
      `rule: needs promoteAt > demoteBelow and a window of 2–52 weeks, got ${JSON.stringify(rule)}`,
      'BadEvaluationInput',
    );
  if (input.runs !== undefined && !(Number.isInteger(input.runs) && input.runs >= 1 && input.runs <= 64))
    throw ApplicationFailure.nonRetryable(`runs: expected 1–64, got ${input.runs}`, 'BadEvaluationInput');
  const periods = evaluationPeriods(weekEnd, rule.window);
  const computedPeriods: string[] = [];
  for (const period of periods)
    if (await weekly.evaluateFactorWeek({ period, ...(input.runs ? { runs: input.runs } : {}) }))
      computedPeriods.push(period);
  return weekly.reviewFactorPool({ weekEnd, periods, computedPeriods, rule });
}
