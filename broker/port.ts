/**
 * The broker port: everything the platform asks of a broker, in the platform's own terms.
 * Adapters (the paper broker, Kite Connect) translate to and from their venue; statuses are
 * mapped onto the domain order state machine (domain/orders). Money and prices cross the port
 * as decimal strings, never floats.
 */
import type { OrderStatus } from '../domain/orders';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT';
export type Product = 'NRML' | 'MIS';

export interface PlaceOrderRequest {
  /** Our idempotency handle (Kite has no client order id): ≤ 20 alphanumeric characters. */
  readonly tag: string;
  readonly exchange: 'NFO';
  readonly tradingsymbol: string;
  readonly side: Side;
  /** Units (lots × lot size). */
  readonly quantity: number;
  readonly orderType: OrderType;
  /** LIMIT price, rupees per unit as a decimal string. */
  readonly price?: string;
  readonly product: Product;
  readonly validity?: 'DAY' | 'IOC';
}

export interface ModifyOrderRequest {
  readonly quantity?: number;
  readonly price?: string;
  readonly orderType?: OrderType;
}

export interface BrokerOrder {
  readonly brokerOrderId: string;
  readonly tag: string | null;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly quantity: number;
  readonly price: string | null;
  /** Mapped onto the domain state machine. */
  readonly status: OrderStatus;
  /** The venue's own word for it (e.g. Kite's "CANCEL PENDING"). */
  readonly brokerStatus: string;
  readonly filledQuantity: number;
  readonly pendingQuantity: number;
  readonly cancelledQuantity: number;
  /** Decimal string; "0" before the first fill. */
  readonly averagePrice: string;
  readonly statusMessage: string | null;
  /** ISO timestamps. */
  readonly placedAt: string;
  readonly updatedAt: string | null;
}

export interface BrokerTrade {
  readonly tradeId: string;
  readonly brokerOrderId: string;
  readonly tradingsymbol: string;
  readonly side: Side;
  readonly quantity: number;
  readonly price: string;
  readonly filledAt: string;
}

export interface BrokerPosition {
  readonly tradingsymbol: string;
  readonly exchange: string;
  /** Net signed units: positive long, negative short. */
  readonly quantity: number;
  readonly averagePrice: string;
}

export interface BrokerMargins {
  readonly available: string;
  readonly used: string;
  readonly net: string;
}

export interface BrokerPort {
  readonly name: 'paper' | 'kite';
  /**
   * How long an order can take to become visible after an ambiguous placement (a timeout):
   * the window to keep looking it up by tag before concluding it does not exist.
   */
  readonly settleMs: number;
  /** 'day': the order book lists only today's orders (Kite); 'all': every order (paper). */
  readonly orderBookHorizon: 'day' | 'all';

  placeOrder(req: PlaceOrderRequest): Promise<{ brokerOrderId: string }>;
  modifyOrder(brokerOrderId: string, change: ModifyOrderRequest): Promise<{ brokerOrderId: string }>;
  cancelOrder(brokerOrderId: string): Promise<{ brokerOrderId: string }>;
  /** Throws OrderNotFoundError when the broker does not know the id. */
  getOrder(brokerOrderId: string): Promise<BrokerOrder>;
  getOrders(): Promise<BrokerOrder[]>;
  /** Every order carrying the tag (normally zero or one; more means a duplicate). */
  findOrdersByTag(tag: string): Promise<BrokerOrder[]>;
  getTrades(): Promise<BrokerTrade[]>;
  getOrderTrades(brokerOrderId: string): Promise<BrokerTrade[]>;
  getPositions(): Promise<BrokerPosition[]>;
  getMargins(): Promise<BrokerMargins>;
}
