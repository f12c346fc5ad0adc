/** What OrderPlacement and Reconciliation take and return (plain JSON, shared with activities). */
import type { SignalDefinition } from '@temporalio/common';
import type { BrokerOrderView, OrderSide, OrderStatus, OrderType } from '../domain/orders';

/** OrderPlacement's business key: one structure per (tenant, decision). */
export const orderPlacementWorkflowId = (tenantId: number, decisionId: string) => `order/${tenantId}/${decisionId}`;

/** A broker postback for one of the workflow's orders: wakes the fill wait early. */
export interface BrokerUpdate {
  readonly tag: string;
  readonly brokerOrderId: string;
  readonly status: string;
}
// Built as defineSignal builds it (that function lives in the workflow package; clients need the definition too).
export const brokerUpdateSignal = { type: 'signal', name: 'brokerUpdate' } as SignalDefinition<
  [BrokerUpdate],
  'brokerUpdate'
>;

export interface OrderLeg {
  readonly exchange: 'NFO';
  readonly tradingsymbol: string;
  readonly instrument: 'NIFTY' | 'BANKNIFTY';
  readonly expiry: string;
  readonly strike: number;
  readonly optionType: 'CE' | 'PE';
  readonly side: OrderSide;
  /** Units (lots × lot size). */
  readonly quantity: number;
  readonly orderType: OrderType;
  /** Marketable limit for the entry (decimal string). */
  readonly limitPrice?: string;
  /** Marketable limit for the opposite side, used if the leg has to be unwound. */
  readonly exitPrice?: string;
}

export interface OrderPlacementOptions {
  /** How long legs may take to fill before the rest is cancelled (default 60 s). */
  readonly fillTimeoutMs?: number;
  /** Broker poll interval inside the heartbeating watch activity (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** Longest single watch activity before it reports back (default 20 s). */
  readonly watchMaxMs?: number;
  /** Heartbeat timeout of broker activities: how fast a dead worker is noticed (default 10 s). */
  readonly heartbeatTimeoutMs?: number;
  /** Tries per unwind before giving up and flagging the tenant (default 3). */
  readonly unwindAttempts?: number;
}

export interface OrderPlacementInput {
  readonly tenantId: number;
  readonly decisionId: string;
  /** Structure kind, e.g. IRON_CONDOR. */
  readonly structure: string;
  readonly instrument: 'NIFTY' | 'BANKNIFTY';
  readonly tradingDate: string;
  readonly lots: number;
  readonly legs: readonly OrderLeg[];
  /**
   * `open` adds risk; `close` only takes it off (square-off, flatten, an exit rule, a hedge's
   * old leg) and so still passes the gate while a kill switch is active. Default `open`.
   */
  readonly intent?: OrderIntentKind;
  /** Task queue of this tenant's broker worker, when it has its own (its registered static IP). */
  readonly brokerTaskQueue?: string;
  readonly options?: OrderPlacementOptions;
}

export type OrderIntentKind = 'open' | 'close';

export type StructureOutcome = 'filled' | 'unwound' | 'unwind_failed' | 'cancelled' | 'rejected' | 'refused';

export interface LegReport {
  readonly leg: number;
  readonly purpose: 'entry' | 'unwind';
  readonly tag: string;
  readonly tradingsymbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly brokerOrderId: string | null;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly averagePrice: string | null;
}

export interface OrderPlacementResult {
  readonly workflowId: string;
  readonly runId: string;
  readonly tenantId: number;
  readonly decisionId: string;
  readonly tradeId: string;
  readonly status: StructureOutcome;
  readonly reason: string | null;
  readonly legs: readonly LegReport[];
  readonly reconciliationClean: boolean;
  readonly anomalies: readonly string[];
}

/** One leg as the broker sees it right now (from the sync/watch activities); domain's LegTracker folds it in. */
export interface LegSnapshot extends BrokerOrderView {
  readonly tag: string;
  readonly brokerStatus: string | null;
  readonly averagePrice: string | null;
}

export interface Mismatch {
  readonly kind:
    | 'duplicate_tag'
    | 'external_order'
    | 'missing_at_broker'
    | 'orphan_order'
    | 'status_synced'
    | 'fills_synced'
    | 'inferred_fill'
    | 'position_mismatch'
    /** An intent never confirmed in the ledger that the broker has (found by its tag): linked. */
    | 'intent_linked'
    /** An intent its workflow never sent (gone, or stuck past the grace period): closed as never sent. */
    | 'intent_never_sent'
    /** An intent that may have been sent and cannot be confirmed either way yet. */
    | 'intent_unconfirmed'
    /** An order still working at the broker whose workflow failed or was terminated: nothing manages it. */
    | 'abandoned_order';
  readonly resolved: boolean;
  readonly tag?: string;
  readonly brokerOrderId?: string;
  readonly tradingsymbol?: string;
  /** The order's workflow and its state, when that is what the mismatch is about. */
  readonly workflowId?: string;
  readonly workflowStatus?: OrderWorkflowStatus;
  readonly detail: string;
}

export interface ReconciliationVerdict {
  readonly tenantId: number;
  /** Every mismatch resolved and every ledger row accounted for (accountedOrders === ledgerOrders). */
  readonly clean: boolean;
  /** Every order row in the ledger (including external orders recorded by this run). */
  readonly ledgerOrders: number;
  /** Rows whose state is explained: matched to the broker, final, closed as never sent, or in flight. */
  readonly accountedOrders: number;
  readonly brokerOrders: number;
  readonly mismatches: readonly Mismatch[];
}

/** Temporal's word for a workflow's state, or NOT_FOUND when it has no such workflow (any more). */
export type OrderWorkflowStatus =
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TERMINATED'
  | 'CONTINUED_AS_NEW'
  | 'TIMED_OUT'
  | 'PAUSED'
  | 'UNSPECIFIED'
  | 'UNKNOWN'
  | 'NOT_FOUND';

/** Workflows that will never act again: their unsent intents can be closed. */
export const GONE_WORKFLOW_STATUSES: readonly OrderWorkflowStatus[] = [
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'TIMED_OUT',
  'NOT_FOUND',
];

/** The state of every workflow that owned a not-yet-final order, as Temporal described it at checkedAt. */
export interface OrderWorkflowStates {
  readonly checkedAt: string;
  readonly workflows: Readonly<Record<string, OrderWorkflowStatus>>;
}

/** What the workflow compares to decide whether a leg changed (shared with the watch activity). */
export function snapshotFingerprint(s: Pick<LegSnapshot, 'found' | 'status' | 'filledQuantity' | 'trades'>): string {
  return `${s.found ? 1 : 0}|${s.status}|${s.filledQuantity}|${s.trades.length}`;
}
