/**
 * OrderPlacement: one multi-leg structure, placed exactly once.
 *
 * Workflow id = business key `order/<tenantId>/<decisionId>`; every leg's broker tag is derived
 * from that key (order-tags.ts), so a retried activity, a restarted worker or a new run of the
 * same key finds the orders it already placed instead of placing them again.
 *
 *  1. Gate (fail closed): tenant active, reconciliation clean, no kill switch → else refused
 *     (a closing order, `intent: 'close'`, passes a kill switch: it only takes risk off).
 *  2. Record the decision and one intent per leg in the ledger (with the gate: one local activity).
 *  3. Place legs on the broker queue, hedges (BUY) first; a definite rejection stops placing. One
 *     broker activity places them all, watches them fill and, if all did, reconciles them and
 *     records the trade: one round trip through the server for the common case.
 *  4. Wait for fills: a heartbeating watch activity polls the broker; a postback signal
 *     (`brokerUpdate`) cuts the wait short. Each leg is tracked by the domain LegTracker (its
 *     order state machine), so late fills, duplicates and overfills are recognised, never dropped.
 *  5. On timeout or a failed leg: cancel what is working, absorb late fills, and if the
 *     structure still cannot complete, unwind every filled quantity with opposite MARKET orders
 *     (saga), a new tag per attempt, up to `unwindAttempts` times.
 *  6. Reconcile its own orders against the broker, record the trade (costs, status, why).
 *
 * An outage of our database is waited out (retry-budgets.ts), not counted against the work.
 */
import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { TenantId } from '../contracts/search-attributes';
import type { OrderPlacementInput, OrderPlacementResult } from '../contracts/orders';
import {
  awaitFills,
  BATCHED_LEGS_PATCH,
  cancelAndSettle,
  checkGate,
  finish,
  openPlacement,
  placeInTurn,
  placeStructure,
  recordIntents,
  startPlacement,
  tagWorkflow,
  unwind,
} from './order-placement-steps';

export async function orderPlacement(input: OrderPlacementInput): Promise<OrderPlacementResult> {
  const p = startPlacement(input);
  const { legs, opt } = p;

  // 1. Who, and which tags: operators find the workflow by tenant or by any broker tag.
  // One entry per child order: a leg above the freeze quantity is several (order-slices.ts).
  const entries = p.children.specs.map((spec, i) => legs.openEntry(i, spec));
  upsertSearchAttributes([{ key: TenantId, value: String(input.tenantId) }]);
  tagWorkflow(p);

  // 2. Fail closed, then write the intents before anything is sent.
  const batched = patched(BATCHED_LEGS_PATCH);
  const gate = batched ? await openPlacement(p, entries) : await checkGate(p);
  if (!gate.allowed) {
    if (!batched) await recordIntents(p, [], true);
    return finish(p, 'refused', `refused: ${gate.reasons.join('; ')}`);
  }
  if (!batched) await recordIntents(p, entries, true);

  // 3–4. Hedges first, so a short never rests naked; then the fills.
  const sendOrder = legs.sendOrder(entries);
  let failure: string | null;
  if (batched) {
    const deadline = Date.now() + opt.fillTimeoutMs;
    const placed = await placeStructure(p, sendOrder, deadline);
    // Everything filled inside the one activity, reconciliation included: done.
    if (placed.reconciliation && legs.allFilled(entries))
      return finish(p, 'filled', null, [], placed.reconciliation, placed.trade);
    failure = placed.failure ?? (await awaitFills(p, entries, deadline));
  } else failure = (await placeInTurn(p, sendOrder)) ?? (await awaitFills(p, entries, Date.now() + opt.fillTimeoutMs));

  // 5. Cancel, absorb late fills, unwind.
  if (failure) {
    await cancelAndSettle(p, entries);
    if (legs.allFilled(entries)) {
      legs.note(`late fills completed the structure after: ${failure}`);
      failure = null;
    }
  }
  if (!failure) return finish(p, 'filled', null);

  const toUnwind = legs.toUnwind(sendOrder);
  if (toUnwind.length === 0) {
    const reason = failure === 'timeout' ? 'no leg filled before the fill timeout' : failure;
    return finish(p, legs.anyRefused(entries) ? 'rejected' : 'cancelled', reason);
  }
  const stuck = await unwind(p, toUnwind);
  const why = failure === 'timeout' ? 'the structure did not fill before the fill timeout' : failure;
  return stuck.length > 0 ? finish(p, 'unwind_failed', `${why}; unwind incomplete`, stuck) : finish(p, 'unwound', why);
}
