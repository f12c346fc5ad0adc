/**
 * The order lifecycle as a pure state machine, modelled on nautilus_trader's: `apply(order,
 * event)` returns a new order or an error, never mutating its input. Orders are plain JSON so
 * they cross Temporal workflow/activity boundaries and persist as-is.
 *
 * Real venues are messy, and the machine accepts what they actually do:
 * - a fill may arrive after we asked to cancel, or even after the cancel was confirmed (the
 *   fill was in flight): it is applied and recorded as late, never dropped;
 * - a rejected cancel or modify restores the state the order was in before the request;
 * - the same fill reported twice (retries, reconnects) is refused by fill id;
 * - a fill beyond the order quantity is refused (overfill).
 */
import { dec, Decimal } from '../money';

export const ORDER_STATUSES = [
  'INITIALIZED',
  'SUBMITTED',
  'ACCEPTED',
  'PENDING_UPDATE',
  'PENDING_CANCEL',
  'PARTIALLY_FILLED',
  'FILLED',
  'CANCELED',
  'EXPIRED',
  'REJECTED',
  'DENIED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Final without being filled: the venue will work the order no further (a fill already in flight
 * may still land on CANCELED/EXPIRED and is kept as late).
 */
export const DEAD_STATUSES: readonly OrderStatus[] = ['CANCELED', 'EXPIRED', 'REJECTED', 'DENIED'];

/** Final: FILLED or dead. No further transitions except late fills into CANCELED/EXPIRED. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['FILLED', ...DEAD_STATUSES];

/** For statuses read back as plain text (ledger rows, venue reports mapped by broker/status.ts). */
export function isFinalStatus(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

export function isDead(status: OrderStatus): boolean {
  return DEAD_STATUSES.includes(status);
}

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT';

export interface OrderFill {
  readonly fillId: string;
  readonly quantity: number;
  /** Decimal string, rupees per unit. */
  readonly price: string;
  readonly at: string | null;
  /** Arrived after the order was canceled or expired. */
  readonly late: boolean;
}

export interface Order {
  readonly id: string;
  readonly tag: string | null;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPrice: string | null;
  readonly status: OrderStatus;
  /** For PENDING_UPDATE / PENDING_CANCEL: the state to return to if the request is rejected. */
  readonly previousStatus: OrderStatus | null;
  readonly pendingUpdate: { readonly quantity: number | null; readonly limitPrice: string | null } | null;
  readonly filledQty: number;
  /** Exact Σ quantity × price of the fills. */
  readonly filledNotional: string;
  /** filledNotional / filledQty to 8 d.p. (null before the first fill). */
  readonly avgPrice: string | null;
  readonly fills: readonly OrderFill[];
  readonly reason: string | null;
  readonly eventCount: number;
}

export type OrderEvent =
  | { readonly type: 'SUBMIT' }
  | { readonly type: 'DENY'; readonly reason: string }
  | { readonly type: 'ACCEPT' }
  | { readonly type: 'REJECT'; readonly reason: string }
  | { readonly type: 'UPDATE_REQUESTED'; readonly quantity?: number; readonly limitPrice?: string }
  | { readonly type: 'UPDATED'; readonly quantity?: number; readonly limitPrice?: string }
  | { readonly type: 'UPDATE_REJECTED'; readonly reason: string }
  | { readonly type: 'CANCEL_REQUESTED' }
  | { readonly type: 'CANCELED' }
  | { readonly type: 'CANCEL_REJECTED'; readonly reason: string }
  | { readonly type: 'EXPIRE' }
  | {
      readonly type: 'FILL';
      readonly fillId: string;
      readonly quantity: number;
      readonly price: string | number;
      readonly at?: string;
    };

export type OrderErrorCode = 'INVALID_TRANSITION' | 'DUPLICATE_FILL' | 'OVERFILL' | 'INVALID_EVENT';

export type ApplyResult =
  | { readonly ok: true; readonly order: Order }
  | { readonly ok: false; readonly error: { readonly code: OrderErrorCode; readonly message: string } };

export interface NewOrder {
  readonly id: string;
  readonly tag?: string | null;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly limitPrice?: string | number | null;
}

function priceString(p: string | number): string | null {
  try {
    const d = dec(p);
    return d.isFinite() && d.greaterThan(0) ? d.toString() : null;
  } catch {
    return null;
  }
}

export function createOrder(o: NewOrder): Order {
  if (!Number.isInteger(o.quantity) || o.quantity <= 0) throw new RangeError('quantity: expected a positive integer');
  const limitPrice = o.limitPrice === undefined || o.limitPrice === null ? null : priceString(o.limitPrice);
  if (o.orderType === 'LIMIT' && limitPrice === null)
    throw new RangeError('limitPrice: a LIMIT order needs a positive price');
  return {
    id: o.id,
    tag: o.tag ?? null,
    side: o.side,
    orderType: o.orderType,
    quantity: o.quantity,
    limitPrice: o.orderType === 'LIMIT' ? limitPrice : null,
    status: 'INITIALIZED',
    previousStatus: null,
    pendingUpdate: null,
    filledQty: 0,
    filledNotional: '0',
    avgPrice: null,
    fills: [],
    reason: null,
    eventCount: 0,
  };
}

const err = (code: OrderErrorCode, message: string): ApplyResult => ({ ok: false, error: { code, message } });
const bad = (o: Order, e: OrderEvent) => err('INVALID_TRANSITION', `${e.type} is not allowed in ${o.status}`);

/** Working states an order rests in at the venue (the "base" a pending request returns to). */
const BASE_WORKING: readonly OrderStatus[] = ['SUBMITTED', 'ACCEPTED', 'PARTIALLY_FILLED'];
const PENDING: readonly OrderStatus[] = ['PENDING_UPDATE', 'PENDING_CANCEL'];

export function isTerminal(status: OrderStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Still working at (or on its way to) the venue. */
export function isOpen(order: Order): boolean {
  return order.status !== 'INITIALIZED' && !isTerminal(order.status);
}

export function remainingQty(order: Order): number {
  return order.quantity - order.filledQty;
}

function next(o: Order, patch: Partial<Order>): ApplyResult {
  return { ok: true, order: { ...o, ...patch, eventCount: o.eventCount + 1 } };
}

/** State after fills change the filled quantity, for a working (non-pending) order. */
function workingStatus(filled: number, quantity: number): OrderStatus {
  return filled >= quantity ? 'FILLED' : filled > 0 ? 'PARTIALLY_FILLED' : 'ACCEPTED';
}

function applyUpdate(
  o: Order,
  quantity: number | null,
  limitPrice: string | null,
): ApplyResult | Pick<Order, 'quantity' | 'limitPrice'> {
  const q = quantity ?? o.quantity;
  if (q < o.filledQty) return err('INVALID_EVENT', `quantity ${q} is below the filled ${o.filledQty}`);
  return { quantity: q, limitPrice: o.orderType === 'LIMIT' ? (limitPrice ?? o.limitPrice) : null };
}

export function apply(o: Order, e: OrderEvent): ApplyResult {
  switch (e.type) {
    case 'SUBMIT':
      return o.status === 'INITIALIZED' ? next(o, { status: 'SUBMITTED' }) : bad(o, e);

    case 'DENY':
      return o.status === 'INITIALIZED' ? next(o, { status: 'DENIED', reason: e.reason }) : bad(o, e);

    case 'ACCEPT':
      if (o.status === 'SUBMITTED') return next(o, { status: 'ACCEPTED' });
      // Accepted while a request we sent before the ack is still pending.
      if (PENDING.includes(o.status) && o.previousStatus === 'SUBMITTED')
        return next(o, { previousStatus: 'ACCEPTED' });
      return bad(o, e);

    case 'REJECT':
      if (o.status === 'SUBMITTED' || (PENDING.includes(o.status) && o.previousStatus === 'SUBMITTED')) {
        return next(o, { status: 'REJECTED', previousStatus: null, pendingUpdate: null, reason: e.reason });
      }
      return bad(o, e);

    case 'UPDATE_REQUESTED': {
      if (!BASE_WORKING.includes(o.status)) return bad(o, e);
      const q = e.quantity ?? null;
      if (q !== null && (!Number.isInteger(q) || q <= 0))
        return err('INVALID_EVENT', 'quantity: expected a positive integer');
      const lp = e.limitPrice === undefined ? null : priceString(e.limitPrice);
      if (e.limitPrice !== undefined && lp === null)
        return err('INVALID_EVENT', 'limitPrice: expected a positive decimal');
      return next(o, {
        status: 'PENDING_UPDATE',
        previousStatus: o.status,
        pendingUpdate: { quantity: q, limitPrice: lp },
      });
    }

    case 'UPDATED': {
      const allowed =
        o.status === 'PENDING_UPDATE' ||
        o.status === 'PENDING_CANCEL' ||
        o.status === 'ACCEPTED' ||
        o.status === 'PARTIALLY_FILLED';
      if (!allowed) return bad(o, e);
      const lp = e.limitPrice === undefined ? null : priceString(e.limitPrice);
      if (e.limitPrice !== undefined && lp === null)
        return err('INVALID_EVENT', 'limitPrice: expected a positive decimal');
      if (e.quantity !== undefined && (!Number.isInteger(e.quantity) || e.quantity <= 0))
        return err('INVALID_EVENT', 'quantity: expected a positive integer');
      const u = applyUpdate(
        o,
        e.quantity ?? o.pendingUpdate?.quantity ?? null,
        lp ?? o.pendingUpdate?.limitPrice ?? null,
      );
      if ('ok' in u) return u;
      if (u.quantity === o.filledQty)
        return next(o, { ...u, status: 'FILLED', previousStatus: null, pendingUpdate: null });
      if (o.status === 'PENDING_CANCEL') return next(o, { ...u, pendingUpdate: null }); // still waiting on the cancel
      const base = o.status === 'PENDING_UPDATE' ? o.previousStatus! : o.status;
      return next(o, { ...u, status: base, previousStatus: null, pendingUpdate: null });
    }

    case 'UPDATE_REJECTED':
      if (o.status === 'PENDING_UPDATE')
        return next(o, { status: o.previousStatus!, previousStatus: null, pendingUpdate: null, reason: e.reason });
      if (o.status === 'PENDING_CANCEL') return next(o, { pendingUpdate: null, reason: e.reason });
      return bad(o, e);

    case 'CANCEL_REQUESTED':
      if (BASE_WORKING.includes(o.status)) return next(o, { status: 'PENDING_CANCEL', previousStatus: o.status });
      // Cancel while a modify is in flight: remember the base state, not the pending one.
      if (o.status === 'PENDING_UPDATE') return next(o, { status: 'PENDING_CANCEL' });
      return bad(o, e);

    case 'CANCELED':
      if (o.status === 'PENDING_CANCEL' || o.status === 'PENDING_UPDATE' || BASE_WORKING.includes(o.status)) {
        return next(o, { status: 'CANCELED', previousStatus: null, pendingUpdate: null });
      }
      return bad(o, e);

    case 'CANCEL_REJECTED':
      if (o.status !== 'PENDING_CANCEL') return bad(o, e);
      return next(o, { status: o.previousStatus!, previousStatus: null, pendingUpdate: null, reason: e.reason });

    case 'EXPIRE':
      if (o.status === 'ACCEPTED' || o.status === 'PARTIALLY_FILLED' || PENDING.includes(o.status)) {
        return next(o, { status: 'EXPIRED', previousStatus: null, pendingUpdate: null });
      }
      return bad(o, e);

    case 'FILL':
      return applyFill(o, e);

    default: {
      const never: never = e;
      return err('INVALID_EVENT', `unknown event ${(never as { type: string }).type}`);
    }
  }
}

function applyFill(o: Order, e: Extract<OrderEvent, { type: 'FILL' }>): ApplyResult {
  const late = o.status === 'CANCELED' || o.status === 'EXPIRED';
  const fillable = late || o.status === 'SUBMITTED' || BASE_WORKING.includes(o.status) || PENDING.includes(o.status);
  if (!fillable) return bad(o, e);
  if (typeof e.fillId !== 'string' || e.fillId === '') return err('INVALID_EVENT', 'fillId: required');
  if (o.fills.some((f) => f.fillId === e.fillId)) return err('DUPLICATE_FILL', `fill ${e.fillId} was already applied`);
  if (!Number.isInteger(e.quantity) || e.quantity <= 0)
    return err('INVALID_EVENT', 'quantity: expected a positive integer');
  const price = priceString(e.price);
  if (price === null) return err('INVALID_EVENT', 'price: expected a positive decimal');
  const filled = o.filledQty + e.quantity;
  if (filled > o.quantity)
    return err('OVERFILL', `fill of ${e.quantity} takes ${filled} past the order quantity ${o.quantity}`);

  const notional = new Decimal(o.filledNotional).plus(dec(price).times(e.quantity));
  const fill: OrderFill = { fillId: e.fillId, quantity: e.quantity, price, at: e.at ?? null, late };
  const common = {
    filledQty: filled,
    filledNotional: notional.toString(),
    avgPrice: notional.dividedBy(filled).toDecimalPlaces(8).toString(),
    fills: [...o.fills, fill],
  };
  const full = filled === o.quantity;
  if (late) return next(o, { ...common, status: full ? 'FILLED' : o.status });
  if (PENDING.includes(o.status)) {
    // The request is still outstanding; a rejection now returns to PARTIALLY_FILLED.
    return full
      ? next(o, { ...common, status: 'FILLED', previousStatus: null, pendingUpdate: null })
      : next(o, { ...common, previousStatus: 'PARTIALLY_FILLED' });
  }
  return next(o, { ...common, status: workingStatus(filled, o.quantity) });
}

/** Apply events in order, stopping at the first error. */
export function applyAll(o: Order, events: readonly OrderEvent[]): ApplyResult {
  let cur: Order = o;
  for (const e of events) {
    const r = apply(cur, e);
    if (!r.ok) return r;
    cur = r.order;
  }
  return { ok: true, order: cur };
}

/** Everything that must hold of any order the machine produces; returns the violations. */
export function orderInvariantViolations(o: Order): string[] {
  const v: string[] = [];
  if (!ORDER_STATUSES.includes(o.status)) v.push(`unknown status ${o.status}`);
  const sum = o.fills.reduce((a, f) => a + f.quantity, 0);
  if (sum !== o.filledQty) v.push('filledQty differs from the sum of fills');
  if (o.filledQty < 0 || o.filledQty > o.quantity) v.push('filledQty outside [0, quantity]');
  if (new Set(o.fills.map((f) => f.fillId)).size !== o.fills.length) v.push('duplicate fill ids');
  const notional = o.fills.reduce((a, f) => a.plus(dec(f.price).times(f.quantity)), new Decimal(0));
  if (!notional.equals(o.filledNotional)) v.push('filledNotional differs from the fills');
  if ((o.filledQty === 0) !== (o.avgPrice === null)) v.push('avgPrice present iff filled');
  if (o.status === 'FILLED' && o.filledQty !== o.quantity) v.push('FILLED but not fully filled');
  if (o.status !== 'FILLED' && o.filledQty === o.quantity) v.push('fully filled but not FILLED');
  if (o.status === 'PARTIALLY_FILLED' && o.filledQty === 0) v.push('PARTIALLY_FILLED with nothing filled');
  if (PENDING.includes(o.status) !== (o.previousStatus !== null)) v.push('previousStatus set iff pending');
  if (o.previousStatus !== null && !BASE_WORKING.includes(o.previousStatus)) v.push(`pending over ${o.previousStatus}`);
  if ((o.status === 'INITIALIZED' || o.status === 'DENIED' || o.status === 'REJECTED') && o.filledQty > 0)
    v.push(`${o.status} with fills`);
  return v;
}
