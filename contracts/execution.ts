/**
 * TwapExecution's vocabulary: a structure placed as timed slices, each slice an OrderPlacement
 * child under its own decision id, cancellable by an update.
 */
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { OrderPlacementInput, StructureOutcome } from './orders';

/** TwapExecution's business key: one TWAP per (tenant, decision). */
export const twapWorkflowId = (tenantId: number, decisionId: string) => `twap/${tenantId}/${decisionId}`;

/** Slice k's decision id (its OrderPlacement is `order/<tenant>/<decision>-s<k>`, its tags derive from it). */
export const twapSliceDecisionId = (decisionId: string, k: number) => `${decisionId}-s${k}`;

/**
 * The structure as OrderPlacement takes it (legs and lots for the whole structure; each slice
 * scales them; `decisionId` is the parent's, slices are `<decisionId>-s<k>`; `brokerTaskQueue` goes
 * to every slice), and how to slice it.
 */
export interface TwapInput extends Pick<
  OrderPlacementInput,
  | 'tenantId'
  | 'decisionId'
  | 'structure'
  | 'instrument'
  | 'tradingDate'
  | 'lots'
  | 'legs'
  | 'intent'
  | 'brokerTaskQueue'
  | 'options'
> {
  /** Slices asked for (raised when fewer would exceed the exchange's freeze limit). */
  readonly slices: number;
  /** From the first slice to the end of the last slice's share of the window, ms. */
  readonly windowMs: number;
  /** When the first slice goes out (ISO instant); default: when the workflow starts. */
  readonly startAt?: string;
}

/**
 * A slice's placement outcome; running while its placement is in flight, skipped if never started,
 * failed if its OrderPlacement run itself failed.
 */
export type TwapSliceStatus = StructureOutcome | 'running' | 'skipped' | 'failed';

export interface TwapSliceReport {
  readonly index: number;
  readonly decisionId: string;
  readonly workflowId: string;
  readonly lots: number;
  /** When the slice was due and when its placement was started (ISO), null if never started. */
  readonly scheduledAt: string;
  readonly startedAt: string | null;
  readonly status: TwapSliceStatus;
  readonly reason: string | null;
}

export interface TwapResult {
  readonly workflowId: string;
  readonly tenantId: number;
  readonly decisionId: string;
  /**
   * completed: every slice filled; stopped: a slice did not fill, so no later slice was sent;
   * cancelled: the cancel update came, later slices were skipped (slices in flight finish).
   */
  readonly status: 'completed' | 'stopped' | 'cancelled';
  readonly reason: string | null;
  readonly requestedSlices: number;
  /** Why there are more slices than asked for, if there are. */
  readonly note: string | null;
  readonly lotsFilled: number;
  readonly slices: readonly TwapSliceReport[];
}

export interface TwapCancelRequest {
  readonly reason: string;
}

export interface TwapProgress {
  readonly cancelled: boolean;
  readonly started: number;
  readonly total: number;
  readonly slices: readonly TwapSliceReport[];
}

// Built as defineUpdate/defineQuery build them (those live in the workflow package; clients need them too).
export const cancelTwapUpdate = { type: 'update', name: 'cancelTwap' } as UpdateDefinition<
  TwapProgress,
  [TwapCancelRequest],
  'cancelTwap'
>;
export const twapProgressQuery = { type: 'query', name: 'twapProgress' } as QueryDefinition<
  TwapProgress,
  [],
  'twapProgress'
>;
