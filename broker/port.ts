/**
 * The broker port: everything the platform asks of a broker, in the platform's own terms.
 * Adapters (the paper broker, Kite Connect) translate to and from their venue; what they report
 * (orders, trades, positions) is shared vocabulary in contracts/broker-reports.ts. Money and
 * prices cross the port as decimal strings, never floats.
 */
import type { OrderSide, OrderType } from '../domain/orders';
import type {
  BrokerName,
  BrokerOrder,
  BrokerPosition,
  BrokerTrade,
  OrderBookHorizon,
} from '../contracts/broker-reports';

export type Product = 'NRML' | 'MIS';

export interface PlaceOrderRequest {
  /** Our idempotency handle (Kite has no client order id): ≤ 20 alphanumeric characters. */
  readonly tag: string;
  readonly exchange: 'NFO';
  readonly tradingsymbol: string;
  readonly side: OrderSide;
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

export interface BrokerMargins {
  readonly available: string;
  readonly used: string;
  readonly net: string;
}

export interface BrokerPort {
  readonly name: BrokerName;
  /**
   * How long an order can take to become visible after an ambiguous placement (a timeout):
   * the window to keep looking it up by tag before concluding it does not exist.
   */
  readonly settleMs: number;
  readonly orderBookHorizon: OrderBookHorizon;

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
