/**
 * A structure's legs as the child orders actually sent: a leg above the exchange's freeze
 * quantity becomes several whole-lot children within it (domain/execution), each tracked,
 * tagged, unwound and reconciled as an order of its own, all recorded under their structure
 * leg. Within the limit (nearly always) a leg is its own single child, with the tag it always
 * had. Pure apart from the patch marker.
 */
import { patched } from '@temporalio/workflow';
import { sliceLeg } from '../domain/execution';
import type { OrderLeg, OrderPlacementInput } from '../contracts/orders';

/** Legs above the freeze quantity are sliced from this patch on (before, one order per leg). */
export const FREEZE_SLICES_PATCH = 'order-placement-freeze-slices';

/** A tag carries the child's index in one base-36 character. */
const MAX_CHILDREN = 36;

export interface ChildOrders {
  /** What each child order asks for (a leg with its slice's quantity). */
  readonly specs: readonly OrderLeg[];
  /** The structure leg each child belongs to. */
  readonly parent: readonly number[];
}

function slicesOf(leg: OrderLeg, tradingDate: string): number[] {
  try {
    return sliceLeg(leg.instrument, tradingDate, leg.quantity).map((s) => s.quantity);
  } catch {
    // Not whole lots, or no limit on record for the date: sent as asked, for the broker to judge.
    return [leg.quantity];
  }
}

export function childOrders(input: OrderPlacementInput): ChildOrders {
  const specs: OrderLeg[] = [];
  const parent: number[] = [];
  input.legs.forEach((leg, i) => {
    for (const quantity of slicesOf(leg, input.tradingDate)) {
      specs.push({ ...leg, quantity });
      parent.push(i);
    }
  });
  const asGiven = { specs: input.legs, parent: input.legs.map((_, i) => i) };
  if (specs.length === input.legs.length || specs.length > MAX_CHILDREN) return asGiven;
  return patched(FREEZE_SLICES_PATCH) ? { specs, parent } : asGiven;
}
