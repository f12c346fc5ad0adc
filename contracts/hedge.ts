/** The tail hedge's vocabulary across processes: workflow ids, inputs and results of TailHedgeRoll. */
import type { IsoDate } from '../domain/dates';
import type { Instrument } from '../domain/instruments';
import type { Rupees } from '../domain/money';
import type { HedgeBudgetView } from '../domain/hedging';
import type { OrderLeg, OrderPlacementOptions, StructureOutcome } from './orders';

/** One roll per (tenant, expiry of the put it buys): a rerun or a second firing finds it, never repeats it. */
export const hedgeRollWorkflowId = (tenantId: number, expiry: IsoDate) => `hedge-roll/${tenantId}/${expiry}`;

/** The daily check a Schedule (or `qs hedge roll`) starts; it starts the roll when one is due. */
export const hedgeCheckWorkflowId = (tenantId: number, stamp: string) => `hedge-check/${tenantId}/${stamp}`;

/** OrderPlacement's decision id for one order of a roll: derived from (tenant, expiry, leg). */
export const hedgeDecisionId = (tenantId: number, expiry: IsoDate, leg: 'buy' | `sell${number}`) =>
  `hedge-${tenantId}-${expiry}-${leg}`;

/** The structure name hedge placements carry (the ledger finds held hedges by it). */
export const HEDGE_STRUCTURE = 'PROTECTIVE_PUT';

/** A put of the roll, as planned and (once placed) as filled. */
export interface HedgePut {
  readonly instrument: Instrument;
  readonly tradingsymbol: string;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly delta: number;
  readonly lots: number;
  readonly quantity: number;
  /** Per unit: the quote when planned, the average fill once placed. */
  readonly price: string;
  /** price × quantity. */
  readonly premium: Rupees;
}

export interface PlannedHedgeOrder {
  readonly put: HedgePut;
  readonly leg: OrderLeg;
}

export interface HedgeCheckInput {
  readonly tenantId: number;
  /** The trading date to judge the window on; default the IST date the check started. */
  readonly date?: IsoDate;
  /** Passed to the placements (tests shorten the fill wait). */
  readonly options?: OrderPlacementOptions;
}

export interface TailHedgeRollInput {
  readonly tenantId: number;
  readonly tradingDate: IsoDate;
  readonly instrument: Instrument;
  /** Expiry of the put bought: the roll's business key. */
  readonly expiry: IsoDate;
  readonly buy: PlannedHedgeOrder;
  /** Puts sold once the new one has filled (empty: the first hedge). */
  readonly sell: readonly PlannedHedgeOrder[];
  readonly budget: HedgeBudgetView;
  /** The tenant's own broker task queue, when it has one (the placements' broker calls run there). */
  readonly brokerTaskQueue?: string;
  readonly options?: OrderPlacementOptions;
}

export type HedgeRollStatus =
  /** Bought the new put and sold every old one. */
  | 'rolled'
  /** Bought the first hedge (nothing to sell). */
  | 'bought'
  /** Bought the new put; an old one did not sell (over-hedged, never unhedged). */
  | 'sell_failed'
  /** The new put did not fill: nothing was sold. */
  | 'buy_failed'
  /** Premium plus costs exceed what is left of the year's hedge budget. */
  | 'refused'
  /** This expiry's roll was already started: nothing placed. */
  | 'already_rolled'
  | 'nothing_to_do'
  | 'disabled'
  | 'not_trading_day';

export interface HedgeRollResult {
  readonly tenantId: number;
  readonly date: IsoDate;
  readonly status: HedgeRollStatus;
  readonly reason: string;
  /** The roll's workflow id, when one was due. */
  readonly rollWorkflowId: string | null;
  readonly bought: HedgePut | null;
  readonly sold: readonly HedgePut[];
  readonly placements: ReadonlyArray<{ workflowId: string; side: 'BUY' | 'SELL'; status: StructureOutcome }>;
  readonly budget: HedgeBudgetView | null;
}
