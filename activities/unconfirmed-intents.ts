/**
 * What Reconciliation does with an intent the broker never confirmed: a ledger row with no
 * broker order id, not final, whose tag the broker snapshot does not list. Pure, so the rule
 * is tested on its own; the inputs are the row, its workflow's state (recorded in the
 * reconciliation's history) and the broker snapshot's time and order-book horizon.
 *
 * - Its workflow is running and the intent is young: in flight (the placement owns it).
 * - INITIALIZED means never sent (placeOrder marks SUBMITTED before it sends): once the
 *   workflow is gone, or the intent is older than the grace period, it is closed as never sent.
 * - SUBMITTED means a send may have happened with an unknown outcome: it is closed only after
 *   the broker's settle window has passed without the tag appearing, and only while the
 *   broker's order book still covers the day it was sent; until then it is unconfirmed.
 * - No recorded workflow state (a row newer than the check is in flight; a reconciliation
 *   that checked nothing cannot judge): unconfirmed, so the tenant fails closed.
 */
import { GONE_WORKFLOW_STATUSES, type OrderWorkflowStatus } from '../contracts/orders';

/** A running placement sends its intents within seconds; one unsent for this long is stuck. */
export const INTENT_GRACE_MS = 30 * 60_000;
/** Used when a snapshot does not say how long its broker takes to show an ambiguous order. */
export const DEFAULT_SETTLE_MS = 10_000;

export interface UnconfirmedIntent {
  status: string;
  workflowId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface IntentContext {
  /** The workflow's state; undefined when it was not checked. */
  workflowStatus: OrderWorkflowStatus | undefined;
  /** When the workflow states were checked (null: not checked at all). */
  checkedAt: number | null;
  /** When the broker snapshot was taken. */
  fetchedAt: number;
  settleMs: number;
  /** Start of the broker's order-book horizon (null: it lists every order). */
  horizonStart: number | null;
  graceMs?: number;
}

export type IntentVerdict =
  { action: 'in_flight' } | { action: 'close'; detail: string } | { action: 'unconfirmed'; detail: string };

export function judgeUnconfirmedIntent(row: UnconfirmedIntent, ctx: IntentContext): IntentVerdict {
  const state = row.workflowId === null ? 'NOT_FOUND' : ctx.workflowStatus;
  if (state === undefined) {
    if (ctx.checkedAt !== null && row.createdAt.getTime() > ctx.checkedAt) return { action: 'in_flight' };
    return { action: 'unconfirmed', detail: 'not at the broker, and its workflow was not checked' };
  }
  const gone = GONE_WORKFLOW_STATUSES.includes(state);
  const age = ctx.fetchedAt - row.createdAt.getTime();
  const stuck = age >= (ctx.graceMs ?? INTENT_GRACE_MS);
  if (!gone && !stuck) return { action: 'in_flight' };
  const why = gone
    ? `its workflow is ${state}`
    : `its workflow is ${state} but has not sent it in ${Math.round(age / 60_000)} min`;
  if (row.status === 'INITIALIZED') return { action: 'close', detail: `never sent: ${why}; not at the broker` };
  if (row.status !== 'SUBMITTED')
    return { action: 'unconfirmed', detail: `${row.status} with no broker order, not at the broker (${why})` };
  if (ctx.horizonStart !== null && row.updatedAt.getTime() < ctx.horizonStart)
    return {
      action: 'unconfirmed',
      detail: `sent with an unknown outcome before the broker's order book begins (${why}): cannot be confirmed`,
    };
  if (ctx.fetchedAt - row.updatedAt.getTime() < ctx.settleMs)
    return {
      action: 'unconfirmed',
      detail: `sent with an unknown outcome (${why}): it may still appear at the broker`,
    };
  return {
    action: 'close',
    detail: `never reached the broker: ${why}; not listed ${ctx.settleMs} ms after it was sent`,
  };
}
