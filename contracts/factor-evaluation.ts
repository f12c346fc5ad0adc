/** The weekly FactorEvaluation workflow's vocabulary: its id, input and result. */
import type { PoolRule } from '../domain/factors/evaluation';

/** One run per week end: a repeated start (the schedule firing twice, an operator) is a no-op. */
export const factorEvaluationWorkflowId = (weekEnd: string) => `factor-evaluation/${weekEnd}`;

export interface FactorEvaluationInput {
  /** The trading day the evaluated week ends on (default: the last trading day before the run's day, IST). */
  readonly weekEnd?: string;
  /** Overrides of DEFAULT_POOL_RULE (its window is the number of weeks the rolling IC averages). */
  readonly rule?: Partial<PoolRule>;
  /** Simulated runs per week (default 4; each gives 5 days × 5 decisions). */
  readonly runs?: number;
}

export interface FactorEvaluationResult {
  readonly weekEnd: string;
  /** The weeks whose ICs the review read, oldest first. */
  readonly periods: readonly string[];
  /** Weeks whose ICs this run computed (the others were stored by earlier runs). */
  readonly computedPeriods: readonly string[];
  /** false: this week had been reviewed already; the stored review is reported. */
  readonly recorded: boolean;
  readonly demoted: readonly { factor: string; rollingIc: number | null; reason: string }[];
  readonly promoted: readonly { factor: string; rollingIc: number | null; reason: string }[];
  readonly kept: number;
  /** Factors switched off after the review (de-promoted this week or earlier). */
  readonly switchedOff: readonly string[];
}
