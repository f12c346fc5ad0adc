/**
 * The paper broker: the domain paper exchange (domain/paper-exchange, a pure state machine)
 * behind the broker port. Its state lives in one row per tenant (paper_accounts), read FOR
 * UPDATE, advanced and written back in one transaction per call, so it survives worker restarts
 * and concurrent workers see one book. Every call first feeds the exchange a market tick at the
 * simulated instant (market.ts), which is when resting orders fill. An order that turns final is
 * filed in paper_closed_orders and leaves the state, so what each call rewrites is the working
 * book, not every order the tenant ever placed.
 *
 * The exchange never creates a second order for a known tag; a PLACE that repeats a tag is
 * audited as `paper.duplicate_tag` so tests can prove the platform never sent one.
 */
import type { Pool } from 'pg';
import { auditIn } from '../../db/audit';
import {
  closedPaperOrder,
  closedPaperOrders,
  fileClosedPaperOrders,
  lockPaperAccount,
  savePaperAccount,
} from '../../db/paper-account';
import { withTenant, type TenantTx } from '../../db/tenant';
import { epochMsToIst, timestampToEpochMs } from '../../domain/dates';
import type { Instrument } from '../../domain/instruments';
import { dec, rupees } from '../../domain/money';
import { isOpen, type OrderStatus } from '../../domain/orders';
import type { OptionChain } from '../../domain/market';
import {
  blockedMargin,
  contractKey,
  createExchange,
  findOrderByTag,
  openCost,
  step,
  withoutFinalOrders,
  type ExchangeConfig,
  type ExchangeEvent,
  type ExchangeOrder,
  type ExchangeState,
} from '../../domain/paper-exchange';
import { AmbiguousOutcomeError, OrderNotFoundError, OrderNotOpenError, OrderRejectedError } from '../errors';
import type { BrokerMargins, BrokerPort, ModifyOrderRequest, PlaceOrderRequest } from '../port';
import type { BrokerOrder, BrokerPosition, BrokerTrade } from '../../contracts/broker-reports';
import { formatTradingsymbol, parseTradingsymbol } from '../tradingsymbol';
import { hasAction, latencyFor, matchingRules, type PaperFaults } from './faults';
import { chainAt, defaultSession, simulatedMs, type PaperMarketSession } from './market';

export const PAPER_DEFAULT_CAPITAL = '100000000.00';

interface PendingRead {
  fn: (book: BookView) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Account {
  state: ExchangeState;
  market: PaperMarketSession;
  faults: PaperFaults;
}

const VENUE_WORD: Record<OrderStatus, string> = {
  INITIALIZED: 'PUT ORDER REQ RECEIVED',
  SUBMITTED: 'OPEN PENDING',
  ACCEPTED: 'OPEN',
  PARTIALLY_FILLED: 'OPEN',
  PENDING_UPDATE: 'MODIFY PENDING',
  PENDING_CANCEL: 'CANCEL PENDING',
  FILLED: 'COMPLETE',
  CANCELED: 'CANCELLED',
  EXPIRED: 'CANCELLED',
  REJECTED: 'REJECTED',
  DENIED: 'REJECTED',
};

export interface PaperBrokerOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class PaperBroker implements BrokerPort {
  readonly name = 'paper' as const;
  /** The book is transactional: an order is visible the instant it exists. */
  readonly settleMs = 0;
  readonly orderBookHorizon = 'all' as const;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Reads waiting for this turn's shared transaction (see read()). */
  private pendingReads: PendingRead[] | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly tenantId: number,
    opts: PaperBrokerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async placeOrder(req: PlaceOrderRequest): Promise<{ brokerOrderId: string }> {
    const contract = parseTradingsymbol(req.tradingsymbol);
    if (req.exchange !== 'NFO' || !contract)
      throw new OrderRejectedError(
        `paper broker: ${req.exchange}:${req.tradingsymbol} is not an index option it lists`,
        'UNKNOWN_INSTRUMENT',
      );
    let ambiguous = false;
    const id = await this.transact(async (acc, simMs, tx) => {
      const rules = matchingRules(acc.faults, { tag: req.tag, tradingsymbol: req.tradingsymbol, side: req.side });
      const reject = hasAction(rules, 'reject');
      if (reject)
        throw new OrderRejectedError(
          reject.message ?? 'RMS: order blocked by the risk checks (paper fault injection)',
          'RMS',
        );
      ambiguous = hasAction(rules, 'ambiguous') !== undefined;
      // A known tag, working or closed (the state no longer indexes closed ones): no second order.
      const known = await new BookView(acc.state, tx).byTag(req.tag);
      if (known) {
        await auditIn(tx.client, this.tenantId, null, 'paper.duplicate_tag', {
          tag: req.tag,
          existingOrderId: known.order.id,
          tradingsymbol: req.tradingsymbol,
        });
        return { state: acc.state, value: known.order.id };
      }
      const r = step(acc.state, {
        type: 'PLACE',
        at: epochMsToIst(simMs),
        tag: req.tag,
        contract,
        side: req.side,
        quantity: req.quantity,
        orderType: req.orderType,
        limitPrice: req.price,
      });
      const refused = r.events.find(
        (e): e is Extract<ExchangeEvent, { type: 'ORDER_REJECTED' }> =>
          e.type === 'ORDER_REJECTED' && e.orderId === null,
      );
      if (refused) throw new OrderRejectedError(`paper exchange: ${refused.reason}: ${refused.detail}`, refused.reason);
      const submitted = r.events.find((e) => e.type === 'ORDER_SUBMITTED');
      return { state: r.state, value: submitted!.orderId! };
    });
    if (ambiguous)
      throw new AmbiguousOutcomeError(
        'paper broker: the request timed out (fault injection; the order was created)',
        'TIMEOUT',
      );
    return { brokerOrderId: id };
  }

  async modifyOrder(brokerOrderId: string, _change: ModifyOrderRequest): Promise<{ brokerOrderId: string }> {
    await this.getOrder(brokerOrderId);
    throw new OrderRejectedError(
      'paper exchange: order modification is not supported (cancel and place a new order)',
      'UNSUPPORTED',
    );
  }

  async cancelOrder(brokerOrderId: string): Promise<{ brokerOrderId: string }> {
    return this.transact(async (acc, simMs, tx) => {
      const xo = await new BookView(acc.state, tx).order(brokerOrderId);
      if (!acc.state.orders[brokerOrderId]) {
        // Closed, so out of the state: refused as the exchange refuses a cancel of a final order.
        const reason = `ORDER_${xo.order.status}`;
        throw new OrderNotOpenError(`paper exchange: cannot cancel ${brokerOrderId}: ${reason}`, reason);
      }
      const at = epochMsToIst(simMs);
      const r = step(acc.state, { type: 'CANCEL', at, tag: xo.order.tag ?? '' });
      const refused = r.events.find(
        (e): e is Extract<ExchangeEvent, { type: 'ORDER_CANCEL_REJECTED' }> => e.type === 'ORDER_CANCEL_REJECTED',
      );
      if (refused)
        throw new OrderNotOpenError(
          `paper exchange: cannot cancel ${brokerOrderId}: ${refused.reason}`,
          refused.reason,
        );
      let state = r.state;
      // fill_on_cancel: the book opens while the cancel is still travelling, so a fill lands first.
      const rules = matchingRules(acc.faults, keyOf(xo));
      if (hasAction(rules, 'fill_on_cancel')) state = tick(state, acc, simMs, xo.contract.instrument);
      return { state, value: { brokerOrderId } };
    });
  }

  getOrder(brokerOrderId: string): Promise<BrokerOrder> {
    return this.read(async (book) => toBrokerOrder(await book.order(brokerOrderId)));
  }

  getOrders(): Promise<BrokerOrder[]> {
    return this.read(async (book) => (await book.all()).map(toBrokerOrder));
  }

  findOrdersByTag(tag: string): Promise<BrokerOrder[]> {
    return this.read(async (book) => {
      const xo = await book.byTag(tag);
      return xo ? [toBrokerOrder(xo)] : [];
    });
  }

  getTrades(): Promise<BrokerTrade[]> {
    return this.read(async (book) => (await book.all()).flatMap(toTrades));
  }

  getOrderTrades(brokerOrderId: string): Promise<BrokerTrade[]> {
    return this.read(async (book) => toTrades(await book.order(brokerOrderId)));
  }

  getPositions(): Promise<BrokerPosition[]> {
    return this.read(({ state: s }) =>
      Object.values(s.positions)
        .sort((a, b) => contractKey(a.contract).localeCompare(contractKey(b.contract)))
        .map((p) => ({
          tradingsymbol: formatTradingsymbol(p.contract),
          exchange: 'NFO',
          quantity: p.netQty,
          averagePrice: p.netQty === 0 ? '0' : openCost(p).dividedBy(p.netQty).toDecimalPlaces(4).toString(),
        })),
    );
  }

  getMargins(): Promise<BrokerMargins> {
    return this.read(({ state: s }) => {
      const used = blockedMargin(s);
      return { available: rupees(dec(s.cash).minus(used)), used: rupees(used), net: rupees(s.cash) };
    });
  }

  /**
   * A read still advances the market first: that is when resting orders fill. Reads asked for
   * in the same turn of the event loop (`Promise.all([getOrders(), getTrades()])`) share one
   * transaction: one lock of the book instead of one each, and both see the same instant.
   */
  private read<T>(fn: (book: BookView) => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.pendingReads) {
        this.pendingReads = [];
        queueMicrotask(() => void this.flushReads());
      }
      this.pendingReads.push({ fn, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  private async flushReads(): Promise<void> {
    const batch = this.pendingReads ?? [];
    this.pendingReads = null;
    try {
      const results = await this.transact(async (acc, _simMs, tx) => {
        const book = new BookView(acc.state, tx);
        const value: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
        // One after another: they share the transaction's connection.
        for (const r of batch) {
          try {
            value.push({ ok: true, value: await r.fn(book) });
          } catch (error) {
            value.push({ ok: false, error });
          }
        }
        return { state: acc.state, value };
      });
      results.forEach((res, i) => (res.ok ? batch[i]!.resolve(res.value) : batch[i]!.reject(res.error)));
    } catch (error) {
      for (const r of batch) r.reject(error);
    }
  }

  private async transact<T>(
    fn: (acc: Account, simMs: number, tx: TenantTx) => Promise<{ state: ExchangeState; value: T }>,
  ): Promise<T> {
    let latency = 0;
    const value = await withTenant(this.pool, this.tenantId, async (tx) => {
      const acc = await loadAccount(tx, this.now());
      latency = latencyFor(acc.faults, this.now());
      const simMs = simulatedMs(acc.market, this.now());
      const before = acc.state;
      acc.state = advance(acc, simMs);
      const out = await fn(acc, simMs, tx);
      if (out.state !== before) {
        const { state, final } = withoutFinalOrders(out.state);
        await fileClosedPaperOrders(
          tx,
          final.map((xo) => ({ orderId: xo.order.id, seq: xo.seq, tag: xo.order.tag, order: xo })),
        );
        await savePaperAccount(tx, { exchangeState: state });
      }
      return out.value;
    });
    if (latency > 0) await this.sleep(latency);
    return value;
  }
}

async function loadAccount(tx: TenantTx, nowMs: number): Promise<Account> {
  const row = await lockPaperAccount<ExchangeState, PaperMarketSession, PaperFaults | null>(tx, () => ({
    exchangeState: createExchange({ seed: tx.tenantId, capital: PAPER_DEFAULT_CAPITAL }),
    market: defaultSession(nowMs, tx.tenantId),
  }));
  return { state: row.exchangeState, market: row.market, faults: row.faults ?? {} };
}

/** One market tick per instrument that has working orders, at the simulated instant. */
function advance(acc: Account, simMs: number): ExchangeState {
  const instruments = new Set<Instrument>();
  for (const xo of Object.values(acc.state.orders)) if (isOpen(xo.order)) instruments.add(xo.contract.instrument);
  let state = acc.state;
  for (const instrument of [...instruments].sort()) state = tick(state, acc, simMs, instrument);
  return state;
}

function tick(state: ExchangeState, acc: Account, simMs: number, instrument: Instrument): ExchangeState {
  const working = Object.values(state.orders).filter((xo) => xo.contract.instrument === instrument && isOpen(xo.order));
  const clock = state.clock ? timestampToEpochMs(state.clock) : 0;
  const at = Math.max(simMs, clock); // the exchange's clock never runs backwards
  const chain = withMarketFaults(
    chainAt(
      instrument,
      acc.market,
      at,
      working.map((xo) => xo.contract.expiry),
    ),
    working,
    acc.faults,
  );
  return step(state, { type: 'MARKET', chain }).state;
}

/** Thin or empty the book on a faulted order's side (its contract only). */
function withMarketFaults(chain: OptionChain, working: readonly ExchangeOrder[], faults: PaperFaults): OptionChain {
  const caps = new Map<string, number>(); // `${contractKey}|BUY` → max displayed units
  for (const xo of working) {
    const rules = matchingRules(faults, keyOf(xo));
    let cap: number | undefined;
    if (hasAction(rules, 'no_fill')) cap = 0;
    const onCancel = hasAction(rules, 'fill_on_cancel');
    if (onCancel && xo.order.status !== 'PENDING_CANCEL') cap = 0;
    const partial = hasAction(rules, 'partial');
    if (partial && cap === undefined) {
      const lots = partial.lots ?? 1;
      cap =
        partial.stopAfterLots !== undefined && xo.order.filledQty >= partial.stopAfterLots * chain.lotSize
          ? 0
          : lots * chain.lotSize;
    }
    if (cap === undefined) continue;
    const k = `${contractKey(xo.contract)}|${xo.order.side}`;
    caps.set(k, Math.min(cap, caps.get(k) ?? Infinity));
  }
  if (caps.size === 0) return chain;
  return {
    ...chain,
    expiries: chain.expiries.map((e) => ({
      ...e,
      quotes: e.quotes.map((q) => {
        const key = `${chain.instrument}|${e.expiry}|${q.strike}|${q.type}`;
        const buyCap = caps.get(`${key}|BUY`);
        const sellCap = caps.get(`${key}|SELL`);
        if (buyCap === undefined && sellCap === undefined) return q;
        return {
          ...q,
          askQty: buyCap === undefined ? q.askQty : Math.min(q.askQty, buyCap),
          bidQty: sellCap === undefined ? q.bidQty : Math.min(q.bidQty, sellCap),
        };
      }),
    })),
  };
}

function keyOf(xo: ExchangeOrder) {
  return { tag: xo.order.tag, tradingsymbol: formatTradingsymbol(xo.contract), side: xo.order.side };
}

/** One transaction's view of the book: the working orders in the state, the closed ones filed away. */
class BookView {
  private closed?: Promise<ExchangeOrder[]>;
  constructor(
    readonly state: ExchangeState,
    private readonly tx: TenantTx,
  ) {}

  async order(brokerOrderId: string): Promise<ExchangeOrder> {
    const xo =
      this.state.orders[brokerOrderId] ?? (await closedPaperOrder<ExchangeOrder>(this.tx, { orderId: brokerOrderId }));
    if (!xo) throw new OrderNotFoundError(`paper broker: no order ${brokerOrderId}`);
    return xo;
  }

  async byTag(tag: string): Promise<ExchangeOrder | undefined> {
    return findOrderByTag(this.state, tag) ?? closedPaperOrder<ExchangeOrder>(this.tx, { tag });
  }

  /** Every order, closed and working, in placement order. */
  async all(): Promise<ExchangeOrder[]> {
    this.closed ??= closedPaperOrders<ExchangeOrder>(this.tx);
    return [...(await this.closed), ...Object.values(this.state.orders)].sort((a, b) => a.seq - b.seq);
  }
}

function toBrokerOrder(xo: ExchangeOrder): BrokerOrder {
  const o = xo.order;
  const closed = o.status === 'CANCELED' || o.status === 'EXPIRED' || o.status === 'REJECTED';
  const lastFill = o.fills[o.fills.length - 1];
  return {
    brokerOrderId: o.id,
    tag: o.tag,
    exchange: 'NFO',
    tradingsymbol: formatTradingsymbol(xo.contract),
    side: o.side,
    orderType: o.orderType,
    quantity: o.quantity,
    price: o.limitPrice,
    status: o.status,
    brokerStatus: VENUE_WORD[o.status],
    filledQuantity: o.filledQty,
    pendingQuantity: closed || o.status === 'FILLED' ? 0 : o.quantity - o.filledQty,
    cancelledQuantity: closed ? o.quantity - o.filledQty : 0,
    averagePrice: o.avgPrice ?? '0',
    statusMessage: o.reason,
    placedAt: new Date(timestampToEpochMs(xo.placedAt)).toISOString(),
    updatedAt: lastFill?.at ? new Date(timestampToEpochMs(lastFill.at)).toISOString() : null,
  };
}

function toTrades(xo: ExchangeOrder): BrokerTrade[] {
  const symbol = formatTradingsymbol(xo.contract);
  return xo.order.fills.map((f) => ({
    tradeId: f.fillId,
    brokerOrderId: xo.order.id,
    tradingsymbol: symbol,
    side: xo.order.side,
    quantity: f.quantity,
    price: f.price,
    filledAt: new Date(timestampToEpochMs(f.at ?? xo.placedAt)).toISOString(),
  }));
}

/** Set a tenant's paper account up (tests, demos): faults, market session, exchange settings, capital. */
export async function configurePaperAccount(
  pool: Pool,
  tenantId: number,
  cfg: {
    faults?: PaperFaults;
    market?: Partial<PaperMarketSession>;
    exchange?: Partial<ExchangeConfig>;
    capital?: string;
    now?: number;
  },
): Promise<void> {
  const nowMs = cfg.now ?? Date.now();
  await withTenant(pool, tenantId, async (tx) => {
    const acc = await loadAccount(tx, nowMs);
    // Never a fresh exchange for an existing account: its order and fill ids are in the ledger.
    let state = acc.state;
    if (cfg.exchange) state = { ...state, config: { ...state.config, ...cfg.exchange } };
    if (cfg.capital) state = { ...state, cash: rupees(cfg.capital) };
    const market = cfg.market ? { ...acc.market, anchorMs: nowMs, ...cfg.market } : acc.market;
    await savePaperAccount(tx, { exchangeState: state, market, faults: cfg.faults ?? acc.faults });
  });
}

/** The simulated market a tenant's paper account trades in (to build structures against it). */
export async function paperMarketSession(
  pool: Pool,
  tenantId: number,
): Promise<{ session: PaperMarketSession; simMs: number }> {
  return withTenant(pool, tenantId, async (tx) => {
    const acc = await loadAccount(tx, Date.now());
    return { session: acc.market, simMs: simulatedMs(acc.market, Date.now()) };
  });
}
