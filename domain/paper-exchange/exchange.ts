/**
 * The paper exchange: `step(state, command) → { state, events }`, pure and deterministic for a
 * seed. Orders go through the shared order state machine; fills happen on MARKET ticks (one
 * option chain per tick) once an order's latency has elapsed:
 *
 * - on arrival the exchange checks the contract is listed, the limit price is inside the price
 *   band and the account can carry it (premium for buys, short margin for opening sells);
 * - a marketable order fills at the touch (buy at ask, sell at bid) up to a random share of
 *   the displayed size, in whole lots — the rest waits for later ticks (partial fills);
 * - a cancel takes effect after its own latency, so fills can land while it is pending;
 * - at 15:30 IST working day orders expire.
 * Quantity must be whole lots within the freeze quantity; tags are 1–20 letters/digits and
 * unique, so re-sending a PLACE with a known tag is a no-op that reports the existing order.
 */
import { MARKET_CLOSE_MINUTE, isMarketOpen } from '../calendar';
import { istParts, timestampToEpochMs } from '../dates';
import { freezeQuantity, lotSize } from '../instruments';
import { dec, Decimal, rupees } from '../money';
import {
  apply,
  createOrder,
  isFinalStatus,
  isOpen,
  remainingQty,
  type Order,
  type OrderEvent,
} from '../orders/state-machine';
import { nextFloat, seedState } from '../random';
import type { OptionChain, OptionQuote } from '../market/types';
import { applyTrade, blockedMargin, contractKey } from './positions';
import {
  DEFAULT_EXCHANGE_CONFIG,
  type ExchangeCommand,
  type ExchangeConfig,
  type ExchangeEvent,
  type ExchangeOrder,
  type ExchangeState,
  type RejectReason,
  type StepResult,
} from './types';

const TAG_RE = /^[A-Za-z0-9]{1,20}$/;

export interface CreateExchangeOptions {
  readonly seed: number;
  /** Starting cash in rupees. */
  readonly capital: string | number;
  readonly config?: Partial<ExchangeConfig>;
}

export function createExchange(o: CreateExchangeOptions): ExchangeState {
  return {
    version: 1,
    config: { ...DEFAULT_EXCHANGE_CONFIG, ...o.config },
    rng: seedState(o.seed),
    clock: null,
    cash: rupees(o.capital),
    nextSeq: 1,
    nextFillSeq: 1,
    orders: {},
    tagIndex: {},
    positions: {},
    marks: {},
    spot: {},
  };
}

export function findOrderByTag(state: ExchangeState, tag: string): ExchangeOrder | undefined {
  const id = state.tagIndex[tag];
  return id === undefined ? undefined : state.orders[id];
}

export function getOrder(state: ExchangeState, orderId: string): ExchangeOrder | undefined {
  return state.orders[orderId];
}

/**
 * The state without its final orders, and those orders in placement order. A final order never
 * changes again, so a holder of the state can keep it elsewhere (the paper broker files it in a
 * table): the state, and every step's copy of it, then holds only the working book.
 */
export function withoutFinalOrders(state: ExchangeState): { state: ExchangeState; final: ExchangeOrder[] } {
  const final = Object.values(state.orders)
    .filter((xo) => isFinalStatus(xo.order.status))
    .sort((a, b) => a.seq - b.seq);
  if (final.length === 0) return { state, final };
  const orders = { ...state.orders };
  const tagIndex = { ...state.tagIndex };
  for (const xo of final) {
    delete orders[xo.order.id];
    if (xo.order.tag !== null && tagIndex[xo.order.tag] === xo.order.id) delete tagIndex[xo.order.tag];
  }
  return { state: { ...state, orders, tagIndex }, final };
}

/** Mutable working copy used inside one step; the caller's state is never touched. */
type Draft = {
  -readonly [K in keyof ExchangeState]: K extends 'orders' | 'tagIndex' | 'positions' | 'marks' | 'spot'
    ? { [k: string]: ExchangeState[K][string & keyof ExchangeState[K]] }
    : ExchangeState[K];
};

function clone(state: ExchangeState): Draft {
  return JSON.parse(JSON.stringify(state)) as Draft;
}

function draw(d: Draft): number {
  const [u, s] = nextFloat(d.rng);
  d.rng = s;
  return u;
}

function transition(order: Order, e: OrderEvent): Order {
  const r = apply(order, e);
  // The exchange only sends events valid for the state it tracks; failing here is a bug.
  if (!r.ok) throw new Error(`paper exchange: ${r.error.code} ${r.error.message}`);
  return r.order;
}

export function step(state: ExchangeState, command: ExchangeCommand): StepResult {
  const d = clone(state);
  const events: ExchangeEvent[] = [];
  switch (command.type) {
    case 'PLACE':
      place(d, command, events);
      break;
    case 'CANCEL':
      cancel(d, command, events);
      break;
    case 'MARKET':
      tick(d, command.chain, events);
      break;
    case 'SETTLE_EXPIRY':
      settle(d, command, events);
      break;
    default: {
      const never: never = command;
      throw new RangeError(`unknown exchange command ${(never as { type: string }).type}`);
    }
  }
  return { state: d as ExchangeState, events };
}

/** Run several commands in order, collecting every event. */
export function stepAll(state: ExchangeState, commands: readonly ExchangeCommand[]): StepResult {
  let s = state;
  const events: ExchangeEvent[] = [];
  for (const c of commands) {
    const r = step(s, c);
    s = r.state;
    events.push(...r.events);
  }
  return { state: s, events };
}

function place(d: Draft, c: Extract<ExchangeCommand, { type: 'PLACE' }>, events: ExchangeEvent[]): void {
  const base = { at: c.at, tag: c.tag };
  if (typeof c.tag !== 'string' || !TAG_RE.test(c.tag)) {
    events.push({
      ...base,
      type: 'ORDER_REJECTED',
      orderId: null,
      reason: 'INVALID_TAG',
      detail: 'tag must be 1–20 letters or digits',
    });
    return;
  }
  const existing = d.tagIndex[c.tag];
  if (existing !== undefined) {
    events.push({ ...base, type: 'DUPLICATE_TAG', orderId: existing });
    return;
  }
  let order: Order;
  try {
    order = createOrder({
      id: `PX${d.nextSeq}`,
      tag: c.tag,
      side: c.side,
      orderType: c.orderType,
      quantity: c.quantity,
      limitPrice: c.limitPrice,
    });
  } catch (e) {
    events.push({
      ...base,
      type: 'ORDER_REJECTED',
      orderId: null,
      reason: 'INVALID_ORDER',
      detail: (e as Error).message,
    });
    return;
  }
  const seq = d.nextSeq++;
  const atMs = timestampToEpochMs(c.at);
  const latency = d.config.latencyMsMin + Math.floor(draw(d) * (d.config.latencyMsMax - d.config.latencyMsMin + 1));
  order = transition(order, { type: 'SUBMIT' });
  const record = (o: Order): ExchangeOrder => ({
    seq,
    contract: c.contract,
    order: o,
    placedAt: c.at,
    activeAtMs: atMs + latency,
    cancelAtMs: null,
  });
  d.tagIndex[c.tag] = order.id;
  events.push({ ...base, type: 'ORDER_SUBMITTED', orderId: order.id });

  // Checks the broker's RMS makes before the order leaves: session, lot multiple, freeze limit.
  const date = istParts(atMs).date;
  let reject: [RejectReason, string] | null = null;
  if (!isMarketOpen(atMs)) reject = ['MARKET_CLOSED', 'orders are accepted 09:15–15:30 IST on trading days'];
  else if (c.quantity % lotSize(c.contract.instrument, date) !== 0)
    reject = ['LOT_SIZE', `quantity must be a multiple of ${lotSize(c.contract.instrument, date)}`];
  else if (c.quantity > freezeQuantity(c.contract.instrument, date))
    reject = [
      'FREEZE_QUANTITY',
      `quantity ${c.quantity} exceeds the freeze quantity ${freezeQuantity(c.contract.instrument, date)}`,
    ];
  if (reject) {
    order = transition(order, { type: 'REJECT', reason: reject[0] });
    events.push({ ...base, type: 'ORDER_REJECTED', orderId: order.id, reason: reject[0], detail: reject[1] });
  }
  d.orders[order.id] = record(order);
}

function cancel(d: Draft, c: Extract<ExchangeCommand, { type: 'CANCEL' }>, events: ExchangeEvent[]): void {
  const id = d.tagIndex[c.tag];
  const xo = id === undefined ? undefined : d.orders[id];
  const base = { at: c.at, tag: c.tag, orderId: id ?? null };
  if (!xo) {
    events.push({ ...base, type: 'ORDER_CANCEL_REJECTED', reason: 'UNKNOWN_ORDER' });
    return;
  }
  const r = apply(xo.order, { type: 'CANCEL_REQUESTED' });
  if (!r.ok) {
    events.push({
      ...base,
      type: 'ORDER_CANCEL_REJECTED',
      reason: xo.order.status === 'PENDING_CANCEL' ? 'CANCEL_PENDING' : `ORDER_${xo.order.status}`,
    });
    return;
  }
  const latency = d.config.latencyMsMin + Math.floor(draw(d) * (d.config.latencyMsMax - d.config.latencyMsMin + 1));
  d.orders[xo.order.id] = { ...xo, order: r.order, cancelAtMs: timestampToEpochMs(c.at) + latency };
  events.push({ ...base, type: 'ORDER_CANCEL_REQUESTED' });
}

function quoteFor(chain: OptionChain, xo: ExchangeOrder): OptionQuote | undefined {
  if (chain.instrument !== xo.contract.instrument) return undefined;
  const e = chain.expiries.find((x) => x.expiry === xo.contract.expiry);
  return e?.quotes.find((q) => q.strike === xo.contract.strike && q.type === xo.contract.type);
}

/** Capital an order needs on arrival: the premium of a buy, short margin for the opening part of a sell. */
function marginCheck(
  d: Draft,
  xo: ExchangeOrder,
  q: OptionQuote,
  spot: number,
): { ok: boolean; need: Decimal; free: Decimal } {
  const o = xo.order;
  const pos = d.positions[contractKey(xo.contract)];
  const held = pos?.netQty ?? 0;
  const free = dec(d.cash).minus(blockedMargin(d as ExchangeState));
  let need: Decimal;
  if (o.side === 'BUY') {
    const px = o.orderType === 'LIMIT' ? dec(o.limitPrice!) : dec(q.ask);
    // Buying back a short releases its margin.
    const released =
      held < 0 ? dec(spot).times(Math.min(-held, o.quantity)).times(d.config.shortMarginRate) : new Decimal(0);
    need = px.times(o.quantity).minus(released);
  } else {
    const opening = Math.max(0, o.quantity - Math.max(held, 0));
    need = dec(spot).times(opening).times(d.config.shortMarginRate);
  }
  return { ok: need.lessThanOrEqualTo(free), need, free };
}

function tick(d: Draft, chain: OptionChain, events: ExchangeEvent[]): void {
  const at = chain.timestamp;
  const nowMs = timestampToEpochMs(at);
  d.clock = at;
  d.spot[chain.instrument] = chain.spot;
  const working = Object.values(d.orders)
    .filter((xo) => xo.contract.instrument === chain.instrument && isOpen(xo.order))
    .sort((a, b) => a.seq - b.seq);

  for (const start of working) {
    let xo = start;
    const ev = { at, tag: xo.order.tag ?? '', orderId: xo.order.id };
    const q = quoteFor(chain, xo);
    // A cancel that has reached the exchange wins over any further matching.
    if (xo.cancelAtMs !== null && nowMs >= xo.cancelAtMs) {
      xo = { ...xo, order: transition(xo.order, { type: 'CANCELED' }) };
      d.orders[xo.order.id] = xo;
      events.push({ ...ev, type: 'ORDER_CANCELED' });
      continue;
    }
    if (nowMs < xo.activeAtMs) continue;

    const arriving =
      xo.order.status === 'SUBMITTED' ||
      (xo.order.status === 'PENDING_CANCEL' && xo.order.previousStatus === 'SUBMITTED');
    if (arriving) {
      let reject: [RejectReason, string] | null = null;
      if (!q) reject = ['UNKNOWN_CONTRACT', `${contractKey(xo.contract)} is not listed`];
      else if (xo.order.orderType === 'LIMIT') {
        const mid = q.mid > 0 ? q.mid : (q.bid + q.ask) / 2;
        const width = Math.max(mid * d.config.priceBandFraction, d.config.priceBandFloor);
        const lp = Number(xo.order.limitPrice);
        if (lp < Math.max(0.05, mid - width) || lp > mid + width)
          reject = [
            'PRICE_BAND',
            `limit ${xo.order.limitPrice} outside ` +
              `${Math.max(0.05, mid - width).toFixed(2)}–${(mid + width).toFixed(2)}`,
          ];
      }
      if (!reject && q) {
        const m = marginCheck(d, xo, q, chain.spot);
        if (!m.ok) reject = ['INSUFFICIENT_MARGIN', `needs ${rupees(m.need)}, free ${rupees(m.free)}`];
      }
      if (reject) {
        xo = { ...xo, order: transition(xo.order, { type: 'REJECT', reason: reject[0] }) };
        d.orders[xo.order.id] = xo;
        events.push({ ...ev, type: 'ORDER_REJECTED', reason: reject[0], detail: reject[1] });
        continue;
      }
      xo = { ...xo, order: transition(xo.order, { type: 'ACCEPT' }) };
      d.orders[xo.order.id] = xo;
      events.push({ ...ev, type: 'ORDER_ACCEPTED' });
    }
    if (!q) continue;

    // Matching at the touch.
    const o = xo.order;
    const buy = o.side === 'BUY';
    const touch = buy ? q.ask : q.bid;
    const shown = buy ? q.askQty : q.bidQty;
    const marketable =
      touch > 0 &&
      shown > 0 &&
      (o.orderType === 'MARKET' || (buy ? touch <= Number(o.limitPrice) : touch >= Number(o.limitPrice)));
    if (marketable) {
      const lot = chain.lotSize;
      const share = d.config.minParticipation + (1 - d.config.minParticipation) * draw(d);
      const takeLots = Math.max(1, Math.floor((shown * share) / lot));
      const qty = Math.min(remainingQty(o), takeLots * lot, Math.floor(shown / lot) * lot || lot);
      const fillId = `F${d.nextFillSeq++}`;
      const price = dec(touch).toString();
      const late = o.status === 'CANCELED' || o.status === 'EXPIRED';
      const filled = transition(o, { type: 'FILL', fillId, quantity: qty, price, at });
      xo = { ...xo, order: filled };
      d.orders[filled.id] = xo;
      const key = contractKey(xo.contract);
      d.positions[key] = applyTrade(d.positions[key], xo.contract, buy ? qty : -qty, price);
      d.cash = rupees(dec(d.cash).plus(dec(price).times(buy ? -qty : qty)));
      events.push({ ...ev, type: 'ORDER_FILLED', fillId, quantity: qty, price, status: filled.status, late });
    }
  }

  // Day orders still working at the close expire.
  if (istParts(nowMs).minuteOfDay >= MARKET_CLOSE_MINUTE) {
    for (const xo of Object.values(d.orders).sort((a, b) => a.seq - b.seq)) {
      if (xo.contract.instrument !== chain.instrument) continue;
      const s = xo.order.status;
      if (s === 'SUBMITTED') {
        d.orders[xo.order.id] = { ...xo, order: transition(xo.order, { type: 'REJECT', reason: 'MARKET_CLOSED' }) };
        events.push({
          at,
          tag: xo.order.tag ?? '',
          orderId: xo.order.id,
          type: 'ORDER_REJECTED',
          reason: 'MARKET_CLOSED',
          detail: 'arrived after the close',
        });
      } else if (s === 'ACCEPTED' || s === 'PARTIALLY_FILLED' || s === 'PENDING_CANCEL' || s === 'PENDING_UPDATE') {
        d.orders[xo.order.id] = { ...xo, order: transition(xo.order, { type: 'EXPIRE' }) };
        events.push({ at, tag: xo.order.tag ?? '', orderId: xo.order.id, type: 'ORDER_EXPIRED' });
      }
    }
  }

  // Marks for everything we hold or work in this instrument.
  const keys = new Set<string>();
  for (const p of Object.values(d.positions))
    if (p.contract.instrument === chain.instrument) keys.add(contractKey(p.contract));
  for (const xo of Object.values(d.orders))
    if (xo.contract.instrument === chain.instrument && isOpen(xo.order)) keys.add(contractKey(xo.contract));
  for (const e of chain.expiries) {
    for (const q of e.quotes) {
      const key = `${chain.instrument}|${e.expiry}|${q.strike}|${q.type}`;
      if (keys.has(key)) d.marks[key] = { bid: q.bid, ask: q.ask, mid: q.mid, at };
    }
  }
}

function settle(d: Draft, c: Extract<ExchangeCommand, { type: 'SETTLE_EXPIRY' }>, events: ExchangeEvent[]): void {
  for (const key of Object.keys(d.positions).sort()) {
    const p = d.positions[key]!;
    if (p.contract.instrument !== c.instrument || p.contract.expiry !== c.expiry || p.netQty === 0) continue;
    const intrinsic = Math.max(
      p.contract.type === 'call' ? c.settlementPrice - p.contract.strike : p.contract.strike - c.settlementPrice,
      0,
    );
    const price = new Decimal(intrinsic.toFixed(2)).toString();
    const qty = p.netQty;
    const after = applyTrade(p, p.contract, -qty, price);
    d.positions[key] = after;
    d.cash = rupees(dec(d.cash).plus(dec(price).times(qty)));
    d.marks[key] = { bid: intrinsic, ask: intrinsic, mid: intrinsic, at: c.at };
    events.push({
      type: 'POSITION_SETTLED',
      at: c.at,
      contract: p.contract,
      quantity: qty,
      price,
      realizedPnl: after.realizedPnl,
    });
  }
}
