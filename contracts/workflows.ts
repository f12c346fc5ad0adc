/**
 * Every workflow type by name with its signature: clients and parents start workflows through
 * these names (runtime/workflow-client.ts) and never import workflow code. workflows/index.ts is
 * checked against this list at compile time and in a unit test.
 */
import type { ModelRollbackInput, RollbackResult, ScheduledRetrainResult } from './models';
import type { WeeklyRetrainInput, WeeklyRetrainResult } from './models';
import type { HedgeCheckInput, HedgeRollResult, TailHedgeRollInput } from './hedge';
import type { OrderPlacementInput, OrderPlacementResult } from './orders';
import type { TwapInput, TwapResult } from './execution';
import type { ReconciliationInput, ReconciliationResult } from './reconciliation';
import type { SystemCheckResult } from './system-check';
import type { DaySummary, ScheduledDayInput, ScheduledDayResult, TradingDayInput } from './trading-day';
import type { NotificationSweepResult } from './notifications';
import type { FactorEvaluationInput, FactorEvaluationResult } from './factor-evaluation';
import type { PersonaRunInput, PersonaRunResult, PersonaSimulationInput, PersonaSimulationResult } from './personas';

export interface WorkflowSignatures {
  systemCheck: (input: { checkId: string }) => Promise<SystemCheckResult>;
  /** Does nothing: the Temporal floor benchmarks compare against. */
  emptyWorkflow: () => Promise<void>;
  /** SystemCheck's shape (a local activity beside a broker-queue one) with nothing inside: for benchmarks. */
  systemCheckShape: () => Promise<void>;
  orderPlacement: (input: OrderPlacementInput) => Promise<OrderPlacementResult>;
  twapExecution: (input: TwapInput) => Promise<TwapResult>;
  reconciliation: (input: ReconciliationInput) => Promise<ReconciliationResult>;
  weeklyRetrain: (input: WeeklyRetrainInput) => Promise<WeeklyRetrainResult>;
  scheduledRetrain: (input: { typeId: string }) => Promise<ScheduledRetrainResult>;
  modelRollback: (input: ModelRollbackInput) => Promise<RollbackResult>;
  personaSimulation: (input: PersonaSimulationInput) => Promise<PersonaSimulationResult>;
  personaRun: (input: PersonaRunInput) => Promise<PersonaRunResult>;
  tailHedgeRoll: (input: TailHedgeRollInput) => Promise<HedgeRollResult>;
  scheduledHedgeRoll: (input: HedgeCheckInput) => Promise<HedgeRollResult>;
  tradingDay: (input: TradingDayInput) => Promise<DaySummary>;
  scheduledTradingDay: (input: ScheduledDayInput) => Promise<ScheduledDayResult>;
  notificationSweep: () => Promise<NotificationSweepResult>;
  factorEvaluation: (input?: FactorEvaluationInput) => Promise<FactorEvaluationResult>;
}

export type WorkflowType = keyof WorkflowSignatures;

export const WORKFLOW_TYPES = [
  'systemCheck',
  'emptyWorkflow',
  'systemCheckShape',
  'orderPlacement',
  'twapExecution',
  'reconciliation',
  'weeklyRetrain',
  'scheduledRetrain',
  'modelRollback',
  'personaSimulation',
  'personaRun',
  'tailHedgeRoll',
  'scheduledHedgeRoll',
  'tradingDay',
  'scheduledTradingDay',
  'notificationSweep',
  'factorEvaluation',
] as const satisfies readonly WorkflowType[];
