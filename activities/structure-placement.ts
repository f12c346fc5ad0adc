/**
 * A whole structure in one broker activity: legs placed in the order given (hedges first), a
 * short watch for their fills, and, when every leg filled, the placement's own reconciliation
 * and (when asked) its trade row. One round trip through the server instead of one per leg plus
 * one per watch, one to reconcile and one to record. Every step is the per-leg activity's own
 * code, so the guarantees are the same: each leg is exactly-once by its tag, a retried batch
 * finds the legs an earlier attempt sent instead of sending them again, and the trade row is
 * an upsert on the decision id. The workflow still judges every reply (domain LegTracker);
 * this only stops at the first leg the broker definitely refused, as the workflow would.
 */
import { Context } from '@temporalio/activity';
import { snapshotFingerprint, type LegSnapshot, type Mismatch } from '../contracts/orders';
import { isFinalStatus } from '../domain/orders';
import type { PlaceOrderInput, PlaceOrderResult, WatchInput } from './broker-calls';
import type { RecordedTrade, RecordTradeInput } from './order-ledger';

export interface PlaceLegsInput {
  tenantId: number;
  /** In send order. */
  orders: Array<Omit<PlaceOrderInput, 'tenantId'>>;
  /** After every leg is placed: wait this long at most for them to fill (0 = do not wait). */
  fillWaitMs: number;
  pollIntervalMs: number;
  /** The placement's workflow id: when every leg filled, its orders are reconciled here under it. */
  workflowId: string;
  /** When every leg filled: record the structure's trade as `filled` here too (its row's facts). */
  trade?: Omit<RecordTradeInput, 'status' | 'reason'>;
}

export interface PlaceLegsResult {
  /** One per leg sent, in send order; shorter than `orders` when a leg was refused. */
  replies: PlaceOrderResult[];
  /** The legs as the broker last showed them (empty when a leg was refused). */
  views: LegSnapshot[];
  /** Set only when every leg filled. */
  reconciliation: { clean: boolean; mismatches: Mismatch[] } | null;
  /** Set only when every leg filled and the input asked for the trade row. */
  trade?: RecordedTrade | null;
}

interface PerLegCalls {
  placeOrder(input: PlaceOrderInput): Promise<PlaceOrderResult>;
  watchOrders(input: WatchInput): Promise<LegSnapshot[]>;
  reconcileOwnOrders(input: {
    tenantId: number;
    workflowId: string;
    tags: string[];
  }): Promise<{ clean: boolean; mismatches: Mismatch[] }>;
  recordTrade(input: RecordTradeInput): Promise<RecordedTrade>;
}

const refused = (r: PlaceOrderResult) => r.outcome !== 'placed' || r.snapshot?.status === 'REJECTED';
const allFilled = (views: readonly LegSnapshot[]) => views.every((v) => v.status === 'FILLED');
const anyDead = (views: readonly LegSnapshot[]) => views.some((v) => isFinalStatus(v.status) && v.status !== 'FILLED');

export function createStructurePlacement(calls: PerLegCalls) {
  /** Watch until every leg filled, one is dead, or the time is up. */
  async function watchFills(input: PlaceLegsInput, placed: PlaceOrderResult[]): Promise<LegSnapshot[]> {
    let views = placed.map((r) => r.snapshot!);
    const deadline = Date.now() + input.fillWaitMs;
    while (!allFilled(views) && !anyDead(views) && Date.now() < deadline) {
      views = await calls.watchOrders({
        tenantId: input.tenantId,
        legs: views.map((v) => ({ tag: v.tag, brokerOrderId: v.brokerOrderId })),
        known: Object.fromEntries(views.map((v) => [v.tag, snapshotFingerprint(v)])),
        maxWaitMs: Math.max(0, deadline - Date.now()),
        pollIntervalMs: input.pollIntervalMs,
      });
    }
    return views;
  }

  return {
    async placeLegs(input: PlaceLegsInput): Promise<PlaceLegsResult> {
      const replies: PlaceOrderResult[] = [];
      for (const order of input.orders) {
        const reply = await calls.placeOrder({ ...order, tenantId: input.tenantId });
        replies.push(reply);
        Context.current().heartbeat({ placed: replies.length });
        if (refused(reply)) return { replies, views: [], reconciliation: null, trade: null };
      }
      // A leg placed without a snapshot (the broker could not be read back): the workflow's own watch finds it.
      if (replies.some((r) => !r.snapshot)) return { replies, views: [], reconciliation: null, trade: null };
      const views = await watchFills(input, replies);
      if (!allFilled(views)) return { replies, views, reconciliation: null, trade: null };
      const reconciliation = await calls.reconcileOwnOrders({
        tenantId: input.tenantId,
        workflowId: input.workflowId,
        tags: views.map((v) => v.tag),
      });
      const trade = input.trade ? await calls.recordTrade({ ...input.trade, status: 'filled', reason: null }) : null;
      return { replies, views, reconciliation, trade };
    },
  };
}
