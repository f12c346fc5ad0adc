/**
 * The legs of one multi-leg structure as OrderPlacement tracks them. Every leg (an entry, or
 * one attempt at unwinding an entry) carries its own order state machine; what the broker says
 * about it is folded in here, and the saga's choices are made here: the order to send legs in,
 * which leg sank the structure, what to cancel, and what and how much to unwind. The workflow
 * only carries data between this and its activities.
 *
 * Nothing a broker reports is dropped silently: a duplicate tag, a trade that cannot be applied
 * (an overfill, a trade on a rejected or filled order) or a filled quantity beyond the order's
 * becomes an anomaly the workflow returns. Pure and deterministic: it runs inside the workflow.
 */
import {
  apply,
  createOrder,
  isDead,
  isTerminal,
  type Order,
  type OrderEvent,
  type OrderSide,
  type OrderStatus,
  type OrderType,
} from './state-machine';

export type LegPurpose = 'entry' | 'unwind';

/** What the broker reports about one order (contracts' LegSnapshot has this shape). */
export interface BrokerOrderView {
  readonly found: boolean;
  readonly brokerOrderId: string | null;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  readonly statusMessage: string | null;
  readonly trades: ReadonlyArray<{
    readonly tradeId: string;
    readonly quantity: number;
    readonly price: string;
    readonly filledAt: string;
  }>;
  /** How many broker orders carry the tag: more than one is a duplicate. */
  readonly duplicates: number;
}

/** What came back from sending an order (the placeOrder activity's result has this shape). */
export interface PlacementReply {
  readonly outcome: 'placed' | 'rejected' | 'denied';
  readonly message: string | null;
  readonly snapshot: BrokerOrderView | null;
}

/** What an entry leg asks for. */
export interface EntrySpec {
  readonly side: OrderSide;
  readonly quantity: number;
  readonly orderType: OrderType;
  readonly limitPrice?: string;
}

export interface Leg {
  /** Index of the structure leg (an unwind keeps its entry's). */
  readonly leg: number;
  readonly purpose: LegPurpose;
  readonly attempt: number;
  /** The broker tag: our only idempotency handle at the broker. */
  readonly tag: string;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly orderType: OrderType;
  readonly price: string | undefined;
  /** An order was sent, or may have been: it is cancelled and reconciled, never forgotten. */
  readonly sent: boolean;
  readonly brokerOrderId: string | null;
  /** The broker's last word on it (a rejection reason, an error). */
  readonly message: string | null;
  readonly order: Order;
  /** The last broker view folded in (null before the first). */
  readonly lastView: BrokerOrderView | null;
}

type MutableLeg = { -readonly [K in keyof Leg]: Leg[K] };

export type TagFor = (purpose: LegPurpose, leg: number, attempt: number) => string;

const opposite = (side: OrderSide): OrderSide => (side === 'BUY' ? 'SELL' : 'BUY');

/** Broker trades in the order they happened (time, then id: stable for equal times). */
const byTime = (a: { filledAt: string; tradeId: string }, b: { filledAt: string; tradeId: string }) =>
  a.filledAt < b.filledAt ? -1 : a.filledAt > b.filledAt ? 1 : a.tradeId < b.tradeId ? -1 : 1;

export class LegTracker {
  private readonly legs: MutableLeg[] = [];
  private readonly found: string[] = [];

  constructor(private readonly tagFor: TagFor) {}

  /** Every leg in the order it was opened (entries first, then unwinds as they were tried). */
  all(): readonly Leg[] {
    return this.legs;
  }

  /** Anomalies in the order they were first seen, each once. */
  anomalies(): readonly string[] {
    return this.found;
  }

  note(anomaly: string): void {
    if (!this.found.includes(anomaly)) this.found.push(anomaly);
  }

  /** Entries are what the structure asked for: marketable limits or market orders. */
  openEntry(index: number, spec: EntrySpec): Leg {
    return this.open('entry', index, 0, spec.side, spec.quantity, spec.orderType, spec.limitPrice);
  }

  /**
   * The next attempt at unwinding an entry: the opposite side for exactly what is still open
   * (filled minus what earlier unwinds filled), as a MARKET order, because a saga step must get
   * out at whatever the market is now, not at a quote from when the structure was chosen. Null
   * when nothing is open.
   */
  openUnwind(entry: Leg, attempt: number): Leg | null {
    const open = this.openQuantity(entry);
    return open > 0 ? this.open('unwind', entry.leg, attempt, opposite(entry.side), open, 'MARKET', undefined) : null;
  }

  /** Hedges (BUY) first, so a short never rests naked; then by leg. */
  sendOrder(legs: readonly Leg[]): Leg[] {
    return [...legs].sort((a, b) => (a.side === b.side ? a.leg - b.leg : a.side === 'BUY' ? -1 : 1));
  }

  /** The placement call failed after its retries: the order may or may not be at the broker. */
  unconfirmed(leg: Leg, error: string): string {
    const l = this.own(leg);
    l.sent = true;
    l.message = error;
    return `${describe(l)}: outcome unknown after retries: ${error}`;
  }

  /** Fold the reply to a placement in; returns why the leg failed, or null. */
  placed(leg: Leg, reply: PlacementReply): string | null {
    const l = this.own(leg);
    l.sent = true;
    if (reply.outcome === 'denied') {
      this.step(l, { type: 'DENY', reason: reply.message ?? 'denied' });
      l.message = reply.message;
      return `${describe(l)} denied: ${reply.message}`;
    }
    if (reply.outcome === 'rejected') {
      this.step(l, { type: 'SUBMIT' });
      this.step(l, { type: 'REJECT', reason: reply.message ?? 'rejected' });
      l.message = reply.message;
      return `${describe(l)} rejected: ${reply.message}`;
    }
    if (reply.snapshot) this.observe(l, reply.snapshot);
    else this.note(`${l.tag}: placed without a broker snapshot`);
    return l.order.status === 'REJECTED' ? `${describe(l)} rejected: ${l.message}` : null;
  }

  /** Fold a broker view of one leg into its state machine. */
  observe(leg: Leg, view: BrokerOrderView): void {
    const l = this.own(leg);
    l.lastView = view;
    if (!view.found) return;
    if (view.duplicates > 1) this.note(`${l.tag}: ${view.duplicates} broker orders carry this tag`);
    if (view.filledQuantity > l.quantity)
      this.note(`${l.tag}: broker reports ${view.filledQuantity} filled of ${l.quantity} (overfill)`);
    l.brokerOrderId = view.brokerOrderId;
    l.message = view.statusMessage ?? l.message;
    if (l.order.status === 'INITIALIZED') this.step(l, { type: 'SUBMIT' });
    const known = new Set(l.order.fills.map((f) => f.fillId));
    const unseen = [...view.trades].sort(byTime).filter((t) => !known.has(t.tradeId));
    if (view.status === 'REJECTED') {
      this.step(l, { type: 'REJECT', reason: view.statusMessage ?? 'rejected' });
      for (const t of unseen) this.note(`${l.tag}: trade ${t.tradeId} reported on a rejected order`);
      return;
    }
    if (view.status !== 'SUBMITTED' && l.order.status === 'SUBMITTED') this.step(l, { type: 'ACCEPT' });
    for (const t of unseen) {
      const r = apply(l.order, {
        type: 'FILL',
        fillId: t.tradeId,
        quantity: t.quantity,
        price: t.price,
        at: t.filledAt,
      });
      if (r.ok) l.order = r.order;
      else this.note(`${l.tag}: trade ${t.tradeId} not applied: ${r.error.code}: ${r.error.message}`);
    }
    if ((view.status === 'CANCELED' || view.status === 'EXPIRED') && !isTerminal(l.order.status))
      this.step(l, { type: view.status === 'CANCELED' ? 'CANCELED' : 'EXPIRE' });
  }

  /** Fold a batch of views in, each to the leg with its tag. */
  observeAll(views: ReadonlyArray<BrokerOrderView & { readonly tag: string }>): void {
    for (const v of views) {
      const leg = this.legs.find((l) => l.tag === v.tag);
      if (leg) this.observe(leg, v);
      else this.note(`${v.tag}: a broker view for a tag this structure never opened`);
    }
  }

  cancelRequested(leg: Leg): void {
    this.step(this.own(leg), { type: 'CANCEL_REQUESTED' });
  }

  allFilled(legs: readonly Leg[]): boolean {
    return legs.every((l) => l.order.status === 'FILLED');
  }

  /** Why the structure cannot complete as sent: the first dead leg, described; else null. */
  failure(legs: readonly Leg[]): string | null {
    const dead = legs.find((l) => isDead(l.order.status));
    if (!dead) return null;
    return `${describe(dead)} ${dead.order.status.toLowerCase()}${dead.message ? `: ${dead.message}` : ''}`;
  }

  /** Sent and not final: what a cancel must reach. */
  working(legs: readonly Leg[]): Leg[] {
    return legs.filter((l) => l.sent && !isTerminal(l.order.status));
  }

  unsettled(legs: readonly Leg[]): Leg[] {
    return legs.filter((l) => !isTerminal(l.order.status));
  }

  anyRefused(legs: readonly Leg[]): boolean {
    return legs.some((l) => l.order.status === 'REJECTED' || l.order.status === 'DENIED');
  }

  /** Entries that filled anything, the last sent first: a saga undoes in reverse. */
  toUnwind(sendOrder: readonly Leg[]): Leg[] {
    return [...sendOrder].reverse().filter((l) => l.purpose === 'entry' && l.order.filledQty > 0);
  }

  /** What of an entry is still open: its fills minus what its unwinds filled (never below zero). */
  openQuantity(entry: Leg): number {
    const unwound = this.legs
      .filter((l) => l.purpose === 'unwind' && l.leg === entry.leg)
      .reduce((sum, l) => sum + l.order.filledQty, 0);
    if (unwound > entry.order.filledQty)
      this.note(`${entry.tag}: unwinds filled ${unwound}, more than the ${entry.order.filledQty} filled`);
    return Math.max(0, entry.order.filledQty - unwound);
  }

  private open(
    purpose: LegPurpose,
    leg: number,
    attempt: number,
    side: OrderSide,
    quantity: number,
    orderType: OrderType,
    limit: string | undefined,
  ): Leg {
    const tag = this.tagFor(purpose, leg, attempt);
    const price = orderType === 'LIMIT' ? limit : undefined;
    const l: MutableLeg = {
      leg,
      purpose,
      attempt,
      tag,
      side,
      quantity,
      orderType,
      price,
      sent: false,
      brokerOrderId: null,
      message: null,
      order: createOrder({ id: tag, tag, side, orderType, quantity, limitPrice: price ?? null }),
      lastView: null,
    };
    this.legs.push(l);
    return l;
  }

  private own(leg: Leg): MutableLeg {
    const l = this.legs.find((x) => x === leg);
    if (!l) throw new Error(`leg ${leg.tag} is not tracked here`);
    return l;
  }

  /** Transitions the venue makes moot (an ACCEPT after a fill) are skipped; anything worse is noted. */
  private step(l: MutableLeg, e: OrderEvent): void {
    const r = apply(l.order, e);
    if (r.ok) l.order = r.order;
    else if (r.error.code !== 'INVALID_TRANSITION') this.note(`${l.tag}: ${r.error.code}: ${r.error.message}`);
  }
}

function describe(l: Leg): string {
  return `${l.purpose} leg ${l.leg} (${l.tag})`;
}
