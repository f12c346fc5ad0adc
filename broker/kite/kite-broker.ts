/**
 * The Kite Connect v3 adapter. Kite has no client order id, so every order carries our tag
 * (≤ 20 alphanumerics) and "find by tag" scans the day's order book. Orders count against
 * the account-wide order limits (10/s, 400/min); everything else against the read limit.
 * This class places whatever it is asked to: the dry-run lock wraps it (broker/registry.ts).
 */
import { dec } from '../../domain/money';
import type { OrderSide } from '../../domain/orders';
import { AmbiguousOutcomeError, OrderNotFoundError } from '../errors';
import type { BrokerMargins, BrokerPort, ModifyOrderRequest, PlaceOrderRequest } from '../port';
import type { BrokerOrder, BrokerPosition, BrokerTrade } from '../../contracts/broker-reports';
import { KITE_ORDER_LIMITS, KITE_READ_LIMITS, SlidingWindowLimiter } from '../rate-limiter';
import { mapVenueStatus } from '../status';
import { KiteHttp, type KiteHttpSettings } from './http';

export interface KiteSettings extends KiteHttpSettings {
  /** How long an ambiguous order may take to show up in the order book (default 10 s). */
  readonly settleMs?: number;
}

export interface KiteLimiters {
  readonly orders: SlidingWindowLimiter;
  readonly reads: SlidingWindowLimiter;
}

/** 150 ms of margin per window absorbs request jitter between our clock and Kite's counter. */
export const newKiteLimiters = (marginMs = 150): KiteLimiters => ({
  orders: new SlidingWindowLimiter(KITE_ORDER_LIMITS, Date.now, undefined, marginMs),
  reads: new SlidingWindowLimiter(KITE_READ_LIMITS, Date.now, undefined, marginMs),
});

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

export function fromKiteOrder(o: KiteOrder): BrokerOrder {
  return {
    brokerOrderId: String(o.order_id),
    tag: o.tag ?? null,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    side: o.transaction_type,
    orderType: o.order_type === 'MARKET' ? 'MARKET' : 'LIMIT',
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

  constructor(settings: KiteSettings, limiters: KiteLimiters = newKiteLimiters(), fetchImpl: typeof fetch = fetch) {
    this.settleMs = settings.settleMs ?? 10_000;
    this.orders = new KiteHttp(settings, limiters.orders, fetchImpl);
    this.reads = new KiteHttp(settings, limiters.reads, fetchImpl);
  }

  async placeOrder(req: PlaceOrderRequest): Promise<{ brokerOrderId: string }> {
    const data = await this.orders.request<{ order_id: string }>('POST', '/orders/regular', {
      exchange: req.exchange,
      tradingsymbol: req.tradingsymbol,
      transaction_type: req.side,
      order_type: req.orderType,
      quantity: req.quantity,
      product: req.product,
      price: req.orderType === 'LIMIT' ? req.price : undefined,
      validity: req.validity ?? 'DAY',
      tag: req.tag,
    });
    if (!data?.order_id)
      throw new AmbiguousOutcomeError('kite POST /orders/regular: success without an order_id', 'NO_ORDER_ID');
    return { brokerOrderId: String(data.order_id) };
  }

  async modifyOrder(id: string, change: ModifyOrderRequest): Promise<{ brokerOrderId: string }> {
    const data = await this.orders.request<{ order_id: string }>('PUT', `/orders/regular/${encodeURIComponent(id)}`, {
      quantity: change.quantity,
      price: change.price,
      order_type: change.orderType,
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
    return ((await this.reads.request<KiteOrder[]>('GET', '/orders')) ?? []).map(fromKiteOrder);
  }

  async findOrdersByTag(tag: string): Promise<BrokerOrder[]> {
    return (await this.getOrders()).filter((o) => o.tag === tag);
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
