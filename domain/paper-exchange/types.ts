/**
 * Paper exchange data: the whole exchange is one plain JSON value (orders, positions, cash,
 * marks and the random-generator state), advanced by pure `step(state, command)` calls. A
 * broker adapter can persist it in Postgres between calls and get the same fills on replay.
 */
import type { IsoDate, IsoTimestamp } from '../dates';
import type { Instrument } from '../instruments';
import type { Rupees } from '../money';
import type { OptionType } from '../pricing/black76';
import type { OptionChain } from '../market/types';
import type { Order, OrderSide, OrderType } from '../orders/state-machine';
import type { RngState } from '../random';

export interface Contract {
  readonly instrument: Instrument;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly type: OptionType;
}

export interface ExchangeConfig {
  /** Order-to-exchange latency is drawn uniformly in [min, max] ms. */
  readonly latencyMsMin: number;
  readonly latencyMsMax: number;
  /** Limit prices must lie within mid ± max(mid × fraction, floor). */
  readonly priceBandFraction: number;
  readonly priceBandFloor: number;
  /** Margin per unit of short option = spot × this (no spread benefit: conservative). */
  readonly shortMarginRate: string;
  /** Each tick an order takes this share (drawn in [min, 1]) of the displayed size. */
  readonly minParticipation: number;
}

export const DEFAULT_EXCHANGE_CONFIG: ExchangeConfig = {
  latencyMsMin: 50,
  latencyMsMax: 400,
  priceBandFraction: 0.4,
  priceBandFloor: 5,
  shortMarginRate: '0.12',
  minParticipation: 0.3,
};

export interface ExchangeOrder {
  readonly seq: number;
  readonly contract: Contract;
  readonly order: Order;
  readonly placedAt: IsoTimestamp;
  /** Epoch ms when the order reaches the exchange. */
  readonly activeAtMs: number;
  /** Epoch ms when a requested cancel reaches the exchange (null: none requested). */
  readonly cancelAtMs: number | null;
}

export interface OpenLot {
  /** Signed units: + long, − short. */
  readonly qty: number;
  readonly price: string;
}

export interface Position {
  readonly contract: Contract;
  readonly netQty: number;
  /** FIFO open lots: exact realised P&L without dividing prices. */
  readonly lots: readonly OpenLot[];
  readonly realizedPnl: Rupees;
}

export interface Mark {
  readonly bid: number;
  readonly ask: number;
  readonly mid: number;
  readonly at: IsoTimestamp;
}

export interface ExchangeState {
  readonly version: 1;
  readonly config: ExchangeConfig;
  readonly rng: RngState;
  readonly clock: IsoTimestamp | null;
  readonly cash: Rupees;
  readonly nextSeq: number;
  readonly nextFillSeq: number;
  readonly orders: Readonly<Record<string, ExchangeOrder>>;
  readonly tagIndex: Readonly<Record<string, string>>;
  readonly positions: Readonly<Record<string, Position>>;
  readonly marks: Readonly<Record<string, Mark>>;
  readonly spot: Readonly<Partial<Record<Instrument, number>>>;
}

export type ExchangeCommand =
  | {
      readonly type: 'PLACE';
      readonly at: IsoTimestamp;
      /** Caller's idempotency key: 1–20 letters/digits; a repeated tag never creates a second order. */
      readonly tag: string;
      readonly contract: Contract;
      readonly side: OrderSide;
      /** Units (a multiple of the lot size). */
      readonly quantity: number;
      readonly orderType: OrderType;
      readonly limitPrice?: string | number;
    }
  | { readonly type: 'CANCEL'; readonly at: IsoTimestamp; readonly tag: string }
  | { readonly type: 'MARKET'; readonly chain: OptionChain }
  | {
      readonly type: 'SETTLE_EXPIRY';
      readonly at: IsoTimestamp;
      readonly instrument: Instrument;
      readonly expiry: IsoDate;
      readonly settlementPrice: number;
    };

export type RejectReason =
  | 'INVALID_TAG'
  | 'INVALID_ORDER'
  | 'MARKET_CLOSED'
  | 'LOT_SIZE'
  | 'FREEZE_QUANTITY'
  | 'UNKNOWN_CONTRACT'
  | 'PRICE_BAND'
  | 'INSUFFICIENT_MARGIN';

interface Base {
  readonly at: IsoTimestamp;
  readonly orderId: string | null;
  readonly tag: string;
}

export type ExchangeEvent =
  | (Base & { readonly type: 'ORDER_SUBMITTED' })
  | (Base & { readonly type: 'ORDER_ACCEPTED' })
  | (Base & { readonly type: 'ORDER_REJECTED'; readonly reason: RejectReason; readonly detail: string })
  | (Base & {
      readonly type: 'ORDER_FILLED';
      readonly fillId: string;
      readonly quantity: number;
      readonly price: string;
      readonly status: string;
      readonly late: boolean;
    })
  | (Base & { readonly type: 'ORDER_CANCEL_REQUESTED' })
  | (Base & { readonly type: 'ORDER_CANCELED' })
  | (Base & { readonly type: 'ORDER_CANCEL_REJECTED'; readonly reason: string })
  | (Base & { readonly type: 'ORDER_EXPIRED' })
  | (Base & { readonly type: 'DUPLICATE_TAG' })
  | {
      readonly type: 'POSITION_SETTLED';
      readonly at: IsoTimestamp;
      readonly contract: Contract;
      readonly quantity: number;
      readonly price: string;
      readonly realizedPnl: Rupees;
    };

export interface StepResult {
  readonly state: ExchangeState;
  readonly events: readonly ExchangeEvent[];
}
