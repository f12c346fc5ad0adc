/**
 * Fault injection for the paper broker, stored per tenant (paper_accounts.faults) so tests and
 * demos can steer workers in other processes. Faults act where real ones happen:
 * - transport: latency on every call; an ambiguous timeout AFTER the order was created;
 * - the broker's risk checks: a definite rejection before the order reaches the exchange;
 * - market data: a thin or empty book for one order's contract and side (partial fills, no
 *   fill until cancelled, a fill that lands while the cancel is on its way).
 * Rules match an order by our tag's purpose and leg (see workflows/order-tags.ts), its symbol
 * or its side; random faults are keyed by a hash of the tag, so a retry sees the same verdict.
 */
import { hashUniform } from '../../domain/random';
import type { OrderSide } from '../../domain/orders';

export type FaultAction =
  /** Refused by the broker's risk checks: no order is created. */
  | 'reject'
  /** The order is created, then the call fails as a timeout. */
  | 'ambiguous'
  /** Shows only `lots` lots per tick on the order's side (partial fills); `stopAfterLots` then empties it. */
  | 'partial'
  /** Nothing on the order's side: it rests until cancelled. */
  | 'no_fill'
  /** Nothing on the order's side until a cancel is requested, then it fills before the cancel lands. */
  | 'fill_on_cancel';

export interface FaultRule {
  readonly action: FaultAction;
  /** Tag purpose: 'E' entry, 'U' unwind. */
  readonly purpose?: 'E' | 'U';
  readonly leg?: number;
  readonly tradingsymbol?: string;
  readonly side?: OrderSide;
  readonly lots?: number;
  readonly stopAfterLots?: number;
  readonly message?: string;
}

export interface PaperFaults {
  /** Milliseconds added to every call: a number or a [min, max] range. */
  readonly latencyMs?: number | readonly [number, number];
  readonly rules?: readonly FaultRule[];
  /** Independent random faults per order, decided by hash(seed, tag). */
  readonly random?: {
    readonly seed: string;
    readonly ambiguousRate?: number;
    readonly rejectRate?: number;
    readonly partialRate?: number;
  };
}

export interface OrderKey {
  readonly tag: string | null;
  readonly tradingsymbol: string;
  readonly side: OrderSide;
}

function tagParts(tag: string | null): { purpose: string; leg: number } | null {
  if (!tag || tag.length !== 18) return null;
  return { purpose: tag[15]!, leg: parseInt(tag[16]!, 36) };
}

export function matchingRules(faults: PaperFaults, o: OrderKey): FaultRule[] {
  const parts = tagParts(o.tag);
  const out: FaultRule[] = [];
  for (const r of faults.rules ?? []) {
    if (r.purpose !== undefined && parts?.purpose !== r.purpose) continue;
    if (r.leg !== undefined && parts?.leg !== r.leg) continue;
    if (r.tradingsymbol !== undefined && r.tradingsymbol !== o.tradingsymbol) continue;
    if (r.side !== undefined && r.side !== o.side) continue;
    out.push(r);
  }
  const rnd = faults.random;
  if (rnd && o.tag) {
    if (rnd.rejectRate && hashUniform(`${rnd.seed}|${o.tag}|reject`) < rnd.rejectRate)
      out.push({ action: 'reject', message: 'random fault: RMS rejection' });
    if (rnd.ambiguousRate && hashUniform(`${rnd.seed}|${o.tag}|ambiguous`) < rnd.ambiguousRate)
      out.push({ action: 'ambiguous' });
    if (rnd.partialRate && hashUniform(`${rnd.seed}|${o.tag}|partial`) < rnd.partialRate)
      out.push({ action: 'partial', lots: 1 });
  }
  return out;
}

export function hasAction(rules: readonly FaultRule[], action: FaultAction): FaultRule | undefined {
  return rules.find((r) => r.action === action);
}

export function latencyFor(faults: PaperFaults, salt: number): number {
  const l = faults.latencyMs;
  if (l === undefined) return 0;
  if (typeof l === 'number') return l;
  return Math.round(l[0] + ((l[1] - l[0]) * (salt % 1000)) / 1000);
}
