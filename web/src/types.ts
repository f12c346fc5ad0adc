/**
 * The shapes the API answers with (its OpenAPI document types requests, not yet responses), and the
 * Socket.IO channel vocabulary. Decision internals come from domain/ as types only.
 */
import type { CostBreakdown } from '../../domain/costs/engine-types';
import type { DecisionReason, ModelRef } from '../../domain/decision/types';
import type { WallName } from '../../domain/risk/types';
import type { SignalPrediction } from '../../domain/signals/contract';
import type { StructureLeg } from '../../domain/strategies/types';

export type Role = 'trader' | 'operator' | 'admin';

export interface Me {
  user: { id: number; role: Role; platform: boolean };
  tenant: { id: number; slug: string; name: string; liveArmed: boolean };
}

export interface LoginAnswer {
  user: { id: number; email: string; role: Role };
  tenant: { id: number; slug: string; name: string };
}

export interface Order {
  tag: string;
  decisionId: string | null;
  leg: number | null;
  purpose: string | null;
  side: 'BUY' | 'SELL';
  tradingsymbol: string;
  quantity: number;
  filledQuantity: number;
  averagePrice: string | null;
  status: string;
  broker: string;
  workflowId: string | null;
  createdAt?: string;
  updatedAt?: string;
}

export interface KillSwitch {
  scope: 'tenant' | 'instrument' | 'strategy';
  target: string;
  active: boolean;
  reason: string;
  setBy: number | null;
  updatedAt: string;
}

export interface TradingStateSnapshot {
  killSwitches: KillSwitch[];
  /** The last full reconciliation: clean, or what it left unresolved. */
  reconciliation: { clean: boolean; unresolved: unknown[] } | null;
}

export interface DayChangeEvent {
  kind: 'day_change' | 'day_summary';
  day: Record<string, unknown>;
  at: string;
}

/** trade, abstain, refused; a trade's row moves on to placing, filled… */
export type DecisionStatus = 'trade' | 'abstain' | 'refused' | (string & {});

export interface DecisionRow {
  id: string;
  tradingDate: string;
  status: DecisionStatus;
  structure: string;
  instrument: string;
  lots: number;
  netEv: string | null;
  workflowId: string;
  createdAt: string;
}

/**
 * The decisions channel's event payload: a new decision, or (`kind: 'status'`) a decision whose status
 * moved on (its placement's outcome), with its orders as they stood then.
 */
export interface DecisionEvent {
  kind?: 'status';
  previousStatus?: DecisionStatus;
  orders?: Array<{ tag: string; leg: number | null; status: string; quantity: number; filledQuantity: number }>;
  decisionId: string;
  tradingDate: string;
  status: DecisionStatus;
  structure: string;
  instrument: string;
  lots: number;
  netEv: string | null;
  workflowId: string;
  createdAt: string;
}

export interface DecisionDetail {
  decision: {
    decisionId: string;
    status: DecisionStatus;
    reasons: DecisionReason[];
    instrument: string;
    at: string;
    snapshotId: string;
    regime: { regime: string; probabilities: Record<string, number> };
    structure: string | null;
    lots: number;
    legs: StructureLeg[];
    expectedPnl: string | null;
    netEv: string | null;
    costs: CostBreakdown | null;
    models: ModelRef[];
    gates: Array<{ wall: WallName; pass: boolean; reasonCode: string | null; [n: string]: unknown }>;
    factors: Record<string, number | null>;
    signals: SignalPrediction[];
    tradingDate: string;
    createdAt: string;
    workflowId: string;
    runId: string;
    workflowUrl: string | null;
  };
  provenance: { trades: TradeProvenance[] };
}

/** A trade's chain as the API answers it: legs and tags → broker orders → fills, costs. */
export interface TradeProvenance {
  tradeId: string;
  status: string;
  reason: string | null;
  workflowId: string;
  runId: string;
  workflowUrl: string | null;
  structure: string;
  instrument: string;
  legs: Array<{
    tag: string;
    purpose: string;
    tradingsymbol: string;
    side: string;
    quantity: number;
    brokerOrderId: string | null;
    status: string;
    filledQuantity: number;
    averagePrice: string | null;
    fills: Array<{ id: string; quantity: number; price: string; filledAt: string; inferred: boolean }>;
  }>;
  costs: { total: string; breakdown: Record<string, unknown> };
}

export const CHANNELS = ['decisions', 'orders', 'positions', 'pnl', 'trading-state', 'gates'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface LiveEvent<T = unknown> {
  id: number;
  tenantId: number;
  channel: Channel;
  payload: T;
  at: string;
}

export interface WallState {
  wall: string;
  /** The wall in the latest decision that reached the castle. */
  current: { decisionId: string; at: string; pass: boolean; reasonCode: string | null; numbers: unknown } | null;
  lastFiring: { decisionId: string; at: string; reasonCode: string | null; numbers: unknown } | null;
}

export interface Greeks {
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
}

export interface GreekBook {
  positions: Array<{
    tradingsymbol: string;
    quantity: number;
    averagePrice: string;
    price: number | null;
    vol: number | null;
    unit: Greeks | null;
    position: Greeks | null;
  }>;
  totals: Greeks;
  unpriced: number;
}

export interface ServingModels {
  production: Array<{
    typeId: string;
    scope: string | number;
    productionVersion: number | null;
    sha256: string | null;
  }>;
  served: Array<{ typeId: string; scope: string; version: number; sha256: string; workers: number }>;
}

export interface DayPnl {
  date: string;
  realised: { curve: Array<{ at: string; pnl: string }>; maxDrawdown: string };
  live: { pnl: string; state: string; phase: string } | null;
  summary: { status: string; pnl: string; costs: string; maxDrawdown: string } | null;
}
