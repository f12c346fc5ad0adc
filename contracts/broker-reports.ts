/**
 * What a broker reports, in the platform's own terms: orders, trades, positions, and the
 * snapshot of all three that Reconciliation records in its history. Adapters (broker/) produce
 * these; the ledger (db/), activities and workflows read them. Statuses are mapped onto the
 * domain order state machine; money and prices are decimal strings, never floats.
 */
import type { OrderSide, OrderStatus, OrderType } from '../domain/orders';

export interface BrokerOrder {
  readonly brokerOrderId: string;
  readonly tag: string | null;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly side: OrderSide;
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
  readonly side: OrderSide;
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

export type BrokerName = 'paper' | 'kite';

/** 'day': the order book lists only today's orders (Kite); 'all': every order (paper). */
export type OrderBookHorizon = 'day' | 'all';

/** One read of a tenant's broker: the order book, trades and positions, as of fetchedAt. */
export interface BrokerState {
  readonly broker: BrokerName;
  readonly horizon: OrderBookHorizon;
  readonly fetchedAt: string;
  /** How long an ambiguous placement may take to show up at this broker (absent in older histories). */
  readonly settleMs?: number;
  readonly orders: readonly BrokerOrder[];
  readonly trades: readonly BrokerTrade[];
  readonly positions: readonly BrokerPosition[];
}
