/**
 * The Kite Connect v3 adapter. Kite has no client order id, so every order carries our tag
 * (≤ 20 alphanumerics) and "find by tag" scans the day's order book, matching `tags[]` as well
 * as `tag` (Kite adds system entries such as `mktp` to an order's tags). Orders count against
 * the account's order limits (10/s, 400/min, 5,000/day); everything else against the read limit.
 * What India's 2026 retail-algo rules ask of every API order is added here: market protection
 * on every MARKET order and LIMIT→MARKET modify (Kite refuses an API market order without it;
 * such an order comes back as order_type LIMIT), and the tenant's exchange algo id when its
 * strategy is registered. A symbol goes out only if today's NFO instrument list has it.
 * This class places whatever it is asked to: the dry-run lock wraps it (broker/registry.ts).
 */
import { dec } from '../../domain/money';
import type { OrderSide } from '../../domain/orders';
import { AmbiguousOutcomeError, OrderNotFoundError, OrderRejectedError } from '../errors';
import type { BrokerMargins, BrokerPort, ModifyOrderRequest, PlaceOrderRequest } from '../port';
import type { BrokerOrder, BrokerPosition, BrokerTrade } from '../../contracts/broker-reports';
import {
  KITE_DAILY_ORDER_CAP,
  KITE_ORDER_LIMITS,
  KITE_READ_LIMITS,
  SlidingWindowLimiter,
  WINDOW_MARGIN_MS,
  type RequestGate,
} from '../rate-limiter';
import { mapVenueStatus } from '../status';
import { KiteHttp, type KiteHttpHooks, type KiteHttpSettings } from './http';
import { assertListed } from './instruments';

export interface KiteSettings extends KiteHttpSettings {
  /** How long an ambiguous order may take to show up in the order book (default 10 s). */
  readonly settleMs?: number;
  /** -1 = Kite's automatic protection (default), else a percentage 0 < p ≤ 100. */
  readonly marketProtection?: number;
  /** The exchange-assigned algo id of the tenant's registered strategy, sent on every order. */
  readonly algoId?: string;
  /** Check built symbols against today's NFO instrument list (default true). */
  readonly checkInstruments?: boolean;
}

export interface KiteLimiters {
  readonly orders: RequestGate;
  readonly reads: RequestGate;
}

/** One process's limiters (tests of the adapter alone; the registry shares orders through Postgres). */
export const newKiteLimiters = (marginMs = WINDOW_MARGIN_MS): KiteLimiters => ({
  orders: new SlidingWindowLimiter(KITE_ORDER_LIMITS, Date.now, undefined, marginMs, KITE_DAILY_ORDER_CAP),
  reads: new SlidingWindowLimiter(KITE_READ_LIMITS, Date.now, undefined, marginMs),
});

/** Kite's own entries in an order's tags (not ours): market protection adds `mktp`. */
const SYSTEM_TAGS = new Set(['mktp']);

/** -1 (automatic) or a percentage in (0, 100]; 0 is no protection, which Kite refuses. */
export function checkMarketProtection(p: number): number {
  if (p === -1 || (Number.isFinite(p) && p > 0 && p <= 100)) return p;
  throw new OrderRejectedError(
    `market protection must be -1 (automatic) or a percentage 0 < p <= 100, got ${p}`,
    'MARKET_PROTECTION',
  );
}

/** Kite's order JSON (the fields we use). */
export interface KiteOrder {
  order_id: string;
  status: string;
  status_message: string | null;
  order_timestamp: string | null;
  exchange_timestamp: string | null;
  exchange_update_timestamp?: string | null;
  exchange: string;
  tradingsymbol: string;
  order_type: string;
  transaction_type: OrderSide;
  quantity: number;
  price: number;
  average_price: number;
  filled_quantity: number;
  pending_quantity: number;
  cancelled_quantity: number;
  tag: string | null;
  /** Every tag on the order: ours and Kite's own (e.g. `mktp`). */
  tags?: string[] | null;
  /** 0 = none; -1 or a percentage: a MARKET order Kite converted to a protected LIMIT. */
  market_protection?: number | null;
}

export interface KiteTrade {
  trade_id: string;
  order_id: string;
  exchange: string;
  tradingsymbol: string;
  transaction_type: OrderSide;
  quantity: number;
  average_price: number;
  fill_timestamp: string | null;
  exchange_timestamp: string | null;
}

/** Kite timestamps are IST wall-clock strings ("2026-05-05 09:18:57"). */
export function kiteTime(t: string | null | undefined): string | null {
  if (!t) return null;
  const iso = t.includes('T') ? t : t.replace(' ', 'T');
  const d = new Date(/[Z+-]\d{2}:?\d{2}$|Z$/.test(iso) ? iso : `${iso}+05:30`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const num = (x: number | string | null | undefined) =>
  x === null || x === undefined || x === '' ? '0' : dec(x).toString();

/** The order's tags, `tag` first, without Kite's system entries. */
export function kiteTags(o: Pick<KiteOrder, 'tag' | 'tags'>): string[] {
  const all = [o.tag, ...(o.tags ?? [])].filter((t): t is string => !!t && !SYSTEM_TAGS.has(t));
  return [...new Set(all)];
}

export function fromKiteOrder(o: KiteOrder, ourTag?: string): BrokerOrder {
  const tags = kiteTags(o);
  return {
    brokerOrderId: String(o.order_id),
    tag: ourTag && tags.includes(ourTag) ? ourTag : (tags[0] ?? null),
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    side: o.transaction_type,
    // A protected market order is reported as LIMIT at its protection price: it was sent as MARKET.
    orderType: o.order_type === 'MARKET' || (o.market_protection ?? 0) !== 0 ? 'MARKET' : 'LIMIT',
    quantity: o.quantity,
    price: o.price ? num(o.price) : null,
    status: mapVenueStatus(o.status, o.filled_quantity, o.quantity),
    brokerStatus: o.status,
    filledQuantity: o.filled_quantity,
    pendingQuantity: o.pending_quantity,
    cancelledQuantity: o.cancelled_quantity,
    averagePrice: num(o.average_price),
    statusMessage: o.status_message,
    placedAt: kiteTime(o.order_timestamp) ?? new Date(0).toISOString(),
    updatedAt: kiteTime(o.exchange_update_timestamp ?? o.exchange_timestamp),
  };
}

function fromKiteTrade(t: KiteTrade): BrokerTrade {
  return {
    tradeId: String(t.trade_id),
    brokerOrderId: String(t.order_id),
    tradingsymbol: t.tradingsymbol,
    side: t.transaction_type,
    quantity: t.quantity,
    price: num(t.average_price),
    filledAt: kiteTime(t.fill_timestamp ?? t.exchange_timestamp) ?? new Date(0).toISOString(),
  };
}

export class KiteBroker implements BrokerPort {
  readonly name = 'kite' as const;
  readonly settleMs: number;
  readonly orderBookHorizon = 'day' as const;
  private readonly orders: KiteHttp;
  private readonly reads: KiteHttp;
  private readonly marketProtection: number;

  constructor(
    private readonly settings: KiteSettings,
    limiters: KiteLimiters = newKiteLimiters(),
    fetchImpl: typeof fetch = fetch,
    hooks: KiteHttpHooks = {},
  ) {
    this.settleMs = settings.settleMs ?? 10_000;
    this.marketProtection = checkMarketProtection(settings.marketProtection ?? -1);
    this.orders = new KiteHttp(settings, limiters.orders, fetchImpl, hooks);
    this.reads = new KiteHttp(settings, limiters.reads, fetchImpl, hooks);
  }

  async placeOrder(req: PlaceOrderRequest): Promise<{ brokerOrderId: string }> {
    if (this.settings.checkInstruments !== false) await assertListed(this.reads, this.settings.baseUrl, req);
    const data = await this.orders.request<{ order_id: string }>('POST', '/orders/regular', {
      exchange: req.exchange,
      tradingsymbol: req.tradingsymbol,
      transaction_type: req.side,
      order_type: req.orderType,
      quantity: req.quantity,
      product: req.product,
      price: req.orderType === 'LIMIT' ? req.price : undefined,
      market_protection: req.orderType === 'MARKET' ? this.marketProtection : undefined,
      validity: req.validity ?? 'DAY',
      tag: req.tag,
      algo_id: this.settings.algoId || undefined,
    });
    if (!data?.order_id)
      throw new AmbiguousOutcomeError('kite POST /orders/regular: success without an order_id', 'NO_ORDER_ID');
    return { brokerOrderId: String(data.order_id) };
  }

  async modifyOrder(id: string, change: ModifyOrderRequest): Promise<{ brokerOrderId: string }> {
    const data = await this.orders.request<{ order_id: string }>('PUT', `/orders/regular/${encodeURIComponent(id)}`, {
      quantity: change.quantity,
      price: change.orderType === 'MARKET' ? undefined : change.price,
      order_type: change.orderType,
      // A LIMIT→MARKET modify needs protection like a new market order.
      market_protection: change.orderType === 'MARKET' ? this.marketProtection : undefined,
    });
    return { brokerOrderId: String(data?.order_id ?? id) };
  }

  async cancelOrder(id: string): Promise<{ brokerOrderId: string }> {
    const data = await this.orders.request<{ order_id: string }>('DELETE', `/orders/regular/${encodeURIComponent(id)}`);
    return { brokerOrderId: String(data?.order_id ?? id) };
  }

  async getOrder(id: string): Promise<BrokerOrder> {
    // GET /orders/:id is the order's history, oldest state first.
    const history = await this.reads.request<KiteOrder[]>('GET', `/orders/${encodeURIComponent(id)}`);
    const last = history?.[history.length - 1];
    if (!last) throw new OrderNotFoundError(`kite: no order ${id}`);
    return fromKiteOrder(last);
  }

  async getOrders(): Promise<BrokerOrder[]> {
    return ((await this.reads.request<KiteOrder[]>('GET', '/orders')) ?? []).map((o) => fromKiteOrder(o));
  }

  async findOrdersByTag(tag: string): Promise<BrokerOrder[]> {
    const book = (await this.reads.request<KiteOrder[]>('GET', '/orders')) ?? [];
    return book.filter((o) => kiteTags(o).includes(tag)).map((o) => fromKiteOrder(o, tag));
  }

  async getTrades(): Promise<BrokerTrade[]> {
    return ((await this.reads.request<KiteTrade[]>('GET', '/trades')) ?? []).map(fromKiteTrade);
  }

  async getOrderTrades(id: string): Promise<BrokerTrade[]> {
    return (await this.getTrades()).filter((t) => t.brokerOrderId === id);
  }

  async getPositions(): Promise<BrokerPosition[]> {
    const data = await this.reads.request<{
      net: Array<{ tradingsymbol: string; exchange: string; quantity: number; average_price: number }>;
    }>('GET', '/portfolio/positions');
    return (data?.net ?? []).map((p) => ({
      tradingsymbol: p.tradingsymbol,
      exchange: p.exchange,
      quantity: p.quantity,
      averagePrice: num(p.average_price),
    }));
  }

  async getMargins(): Promise<BrokerMargins> {
    const data = await this.reads.request<{
      equity?: { net?: number; available?: { live_balance?: number }; utilised?: { debits?: number } };
    }>('GET', '/user/margins');
    const e = data?.equity ?? {};
    return { available: num(e.available?.live_balance ?? e.net), used: num(e.utilised?.debits), net: num(e.net) };
  }
}
