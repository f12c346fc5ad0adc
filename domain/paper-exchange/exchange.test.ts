import { createSource } from '../market/source';
import { simulateDay } from '../market/simulator';
import type { OptionChain, OptionQuote } from '../market/types';
import { createExchange, findOrderByTag, step, stepAll, withoutFinalOrders } from './exchange';
import { valueBook } from './positions';
import type { Contract, ExchangeCommand, ExchangeState } from './types';

const contract: Contract = { instrument: 'NIFTY', expiry: '2026-05-12', strike: 25_000, type: 'put' };

/** A one-contract chain with a chosen touch, for exact fill arithmetic. */
function chain(time: string, q: Partial<OptionQuote> = {}, spot = 25_000): OptionChain {
  const quote: OptionQuote = {
    strike: 25_000,
    type: 'put',
    bid: 100,
    ask: 100.5,
    mid: 100.25,
    bidQty: 650,
    askQty: 650,
    iv: 0.12,
    delta: -0.5,
    gamma: 0.001,
    vega: 10,
    theta: -50,
    volume: 65_000,
    oi: 650_000,
    ...q,
  };
  return {
    instrument: 'NIFTY',
    date: '2026-05-05',
    timestamp: `2026-05-05T${time}:00+05:30`,
    spot,
    regime: 'calm',
    stress: 0,
    rates: { rate: 0.065, dividendYield: 0.012 },
    lotSize: 65,
    strikeStep: 50,
    tickSize: 0.05,
    expiries: [{ expiry: '2026-05-12', years: 0.02, forward: spot, atmStrike: 25_000, atmVol: 0.12, quotes: [quote] }],
  };
}

const place = (tag: string, over: Partial<Extract<ExchangeCommand, { type: 'PLACE' }>> = {}): ExchangeCommand => ({
  type: 'PLACE',
  at: '2026-05-05T10:00:00+05:30',
  tag,
  contract,
  side: 'BUY',
  quantity: 130,
  orderType: 'MARKET',
  ...over,
});

const fresh = (capital = 1_000_000) => createExchange({ seed: 42, capital });

describe('paper exchange', () => {
  it('a market buy reaches the exchange after its latency and fills at the ask', () => {
    const r = stepAll(fresh(), [
      place('A1'),
      { type: 'MARKET', chain: chain('10:00') },
      { type: 'MARKET', chain: chain('10:01') },
    ]);
    expect(r.events.map((e) => e.type)).toEqual(['ORDER_SUBMITTED', 'ORDER_ACCEPTED', 'ORDER_FILLED']);
    const o = findOrderByTag(r.state, 'A1')!;
    expect(o.order).toMatchObject({ status: 'FILLED', filledQty: 130, avgPrice: '100.5' });
    expect(o.activeAtMs - Date.parse('2026-05-05T04:30:00Z')).toBeGreaterThanOrEqual(50);
    // Cash: 1,000,000 − 130 × 100.50 = 986,935.00
    expect(r.state.cash).toBe('986935.00');
    // Marked at mid 100.25: value 13,032.50, unrealised (100.25 − 100.50) × 130 = −32.50
    const book = valueBook(r.state);
    expect(book).toMatchObject({ equity: '999967.50', unrealizedPnl: '-32.50', realizedPnl: '0.00' });
  });

  it('fills partially against thin displayed size, across ticks', () => {
    const thin = (t: string) => chain(t, { askQty: 65 });
    const r = stepAll(fresh(), [
      place('P1', { quantity: 195 }),
      ...['10:01', '10:02', '10:03', '10:04'].map((t) => ({ type: 'MARKET' as const, chain: thin(t) })),
    ]);
    const fills = r.events.filter((e) => e.type === 'ORDER_FILLED');
    expect(fills.map((f) => (f.type === 'ORDER_FILLED' ? [f.quantity, f.status] : null))).toEqual([
      [65, 'PARTIALLY_FILLED'],
      [65, 'PARTIALLY_FILLED'],
      [65, 'FILLED'],
    ]);
  });

  it('a limit order rests until the market comes to it', () => {
    const r1 = stepAll(fresh(), [
      place('L1', { side: 'SELL', orderType: 'LIMIT', limitPrice: '105.00', quantity: 65 }),
      { type: 'MARKET', chain: chain('10:01') },
    ]);
    expect(findOrderByTag(r1.state, 'L1')!.order.status).toBe('ACCEPTED');
    const r2 = step(r1.state, { type: 'MARKET', chain: chain('10:02', { bid: 105.2, ask: 105.7, mid: 105.45 }) });
    expect(r2.events).toMatchObject([{ type: 'ORDER_FILLED', price: '105.2', quantity: 65 }]);
  });

  it('rejects: invalid tag, lot size, freeze quantity, price band, insufficient margin, market closed', () => {
    const tick = { type: 'MARKET' as const, chain: chain('10:01') };
    const reasons = (cmds: ExchangeCommand[], capital?: number) =>
      stepAll(fresh(capital), [...cmds, tick]).events.flatMap((e) => (e.type === 'ORDER_REJECTED' ? [e.reason] : []));
    expect(reasons([place('bad tag!')])).toEqual(['INVALID_TAG']);
    expect(reasons([place('T'.repeat(21))])).toEqual(['INVALID_TAG']);
    expect(reasons([place('LOT', { quantity: 100 })])).toEqual(['LOT_SIZE']);
    expect(reasons([place('FRZ', { quantity: 1820 })])).toEqual(['FREEZE_QUANTITY']);
    // Band at mid 100.25: ± max(40%, ₹5) = 60.15 … 140.35
    expect(reasons([place('BAND', { orderType: 'LIMIT', limitPrice: '150' })])).toEqual(['PRICE_BAND']);
    expect(reasons([place('CASH')], 10_000)).toEqual(['INSUFFICIENT_MARGIN']);
    // Opening short: 130 × 25,000 × 12% = 3,90,000 of margin against 2,00,000 free.
    expect(reasons([place('SHORT', { side: 'SELL' })], 200_000)).toEqual(['INSUFFICIENT_MARGIN']);
    expect(reasons([place('LATE', { at: '2026-05-05T15:45:00+05:30' })])).toEqual(['MARKET_CLOSED']);
  });

  it('a repeated tag never creates a second order, and orders are found by tag', () => {
    const r = stepAll(fresh(), [place('IDEM1'), place('IDEM1', { quantity: 650 })]);
    expect(r.events.map((e) => e.type)).toEqual(['ORDER_SUBMITTED', 'DUPLICATE_TAG']);
    expect(Object.keys(r.state.orders)).toHaveLength(1);
    expect(findOrderByTag(r.state, 'IDEM1')!.order.quantity).toBe(130);
    expect(findOrderByTag(r.state, 'NOPE')).toBeUndefined();
  });

  it('a cancel takes effect after its latency: a fill meanwhile is applied, the rest is canceled', () => {
    const thin = (t: string) => chain(t, { askQty: 65 });
    // Fixed 45 s latency so the race is deterministic.
    const slow = createExchange({
      seed: 42,
      capital: 1_000_000,
      config: { latencyMsMin: 45_000, latencyMsMax: 45_000 },
    });
    let r = stepAll(slow, [place('C1', { quantity: 260 }), { type: 'MARKET', chain: thin('10:01') }]);
    expect(findOrderByTag(r.state, 'C1')!.order).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 65 });
    // Cancel sent 10:01:30 arrives 10:02:15; the 10:02 tick still fills.
    r = stepAll(r.state, [
      { type: 'CANCEL', at: '2026-05-05T10:01:30+05:30', tag: 'C1' },
      { type: 'MARKET', chain: thin('10:02') },
    ]);
    expect(r.events.map((e) => e.type)).toEqual(['ORDER_CANCEL_REQUESTED', 'ORDER_FILLED']);
    expect(findOrderByTag(r.state, 'C1')!.order).toMatchObject({ status: 'PENDING_CANCEL', filledQty: 130 });
    r = step(r.state, { type: 'MARKET', chain: thin('10:03') });
    expect(r.events.map((e) => e.type)).toEqual(['ORDER_CANCELED']);
    expect(findOrderByTag(r.state, 'C1')!.order).toMatchObject({ status: 'CANCELED', filledQty: 130 });
    expect(valueBook(r.state).positions[0]!.netQty).toBe(130);
    // Cancelling again is refused with the reason.
    expect(step(r.state, { type: 'CANCEL', at: '2026-05-05T10:04:00+05:30', tag: 'C1' }).events).toMatchObject([
      { type: 'ORDER_CANCEL_REJECTED', reason: 'ORDER_CANCELED' },
    ]);
  });

  it('positions: FIFO realised P&L, mark-to-market, and expiry settlement', () => {
    let r = stepAll(fresh(), [place('B1', { quantity: 130 }), { type: 'MARKET', chain: chain('10:01') }]);
    r = stepAll(r.state, [
      place('S1', { side: 'SELL', quantity: 65, at: '2026-05-05T11:00:00+05:30' }),
      { type: 'MARKET', chain: chain('11:01', { bid: 110, ask: 110.5, mid: 110.25 }) },
    ]);
    // Bought 130 @ 100.50, sold 65 @ 110.00: realised (110 − 100.50) × 65 = 617.50
    let book = valueBook(r.state);
    expect(book.positions[0]).toMatchObject({
      netQty: 65,
      avgPrice: '100.50',
      mark: '110.25',
      realizedPnl: '617.50',
      unrealizedPnl: '633.75',
    });
    // Settle at 24,900: intrinsic 100 on the remaining 65: realised += (100 − 100.50) × 65 = −32.50
    r = step(r.state, {
      type: 'SETTLE_EXPIRY',
      at: '2026-05-12T15:30:00+05:30',
      instrument: 'NIFTY',
      expiry: '2026-05-12',
      settlementPrice: 24_900,
    });
    book = valueBook(r.state);
    expect(book.positions[0]).toMatchObject({ netQty: 0, realizedPnl: '585.00' });
    // Cash: 1,000,000 − 13,065 + 7,150 + 6,500 = 1,000,585.00
    expect(book.cash).toBe('1000585.00');
    expect(book.equity).toBe('1000585.00');
  });

  it('working day orders expire at 15:30', () => {
    const r = stepAll(fresh(), [
      place('E1', { orderType: 'LIMIT', limitPrice: '95' }),
      { type: 'MARKET', chain: chain('10:01') },
      { type: 'MARKET', chain: chain('15:30') },
    ]);
    expect(findOrderByTag(r.state, 'E1')!.order.status).toBe('EXPIRED');
  });

  it('is deterministic for a seed, state is plain JSON, and it runs against simulated chains', () => {
    const src = createSource(simulateDay({ instrument: 'NIFTY', date: '2026-05-05', seed: 9 }));
    const first = src.chainAt('10:00');
    const e = first.expiries[1]!;
    const put = e.quotes.find((q) => q.strike === e.atmStrike && q.type === 'put')!;
    const c: Contract = { instrument: 'NIFTY', expiry: e.expiry, strike: put.strike, type: 'put' };
    const commands: ExchangeCommand[] = [
      { type: 'MARKET', chain: first },
      {
        type: 'PLACE',
        at: first.timestamp,
        tag: 'SIM1',
        contract: c,
        side: 'SELL',
        quantity: 650,
        orderType: 'MARKET',
      },
      {
        type: 'PLACE',
        at: first.timestamp,
        tag: 'SIM2',
        contract: c,
        side: 'BUY',
        quantity: 130,
        orderType: 'LIMIT',
        limitPrice: put.bid,
      },
      ...[1, 2, 3, 4, 5].map((m) => ({ type: 'MARKET' as const, chain: src.chainAt(45 + m) })),
    ];
    const run = (seed: number) => stepAll(createExchange({ seed, capital: 5_000_000 }), commands);
    const a = run(1);
    expect(JSON.stringify(run(1))).toBe(JSON.stringify(a));
    expect(JSON.stringify(run(2).state.orders)).not.toBe(JSON.stringify(a.state.orders)); // latencies differ
    // Persisting between steps changes nothing.
    let s: ExchangeState = createExchange({ seed: 1, capital: 5_000_000 });
    for (const cmd of commands) s = step(JSON.parse(JSON.stringify(s)) as ExchangeState, cmd).state;
    expect(JSON.stringify(s)).toBe(JSON.stringify(a.state));
    expect(findOrderByTag(a.state, 'SIM1')!.order.filledQty).toBeGreaterThan(0);
  });

  it('sets final orders apart from the working book, and trading on without them is unchanged', () => {
    const filled = stepAll(fresh(), [
      place('F1'),
      place('W1', { orderType: 'LIMIT', limitPrice: '90' }), // rests below the touch
      place('C1', { orderType: 'LIMIT', limitPrice: '90' }),
      { type: 'MARKET', chain: chain('10:00') },
      { type: 'CANCEL', at: '2026-05-05T10:00:30+05:30', tag: 'C1' },
      { type: 'MARKET', chain: chain('10:01') },
    ]).state;
    const status = (tag: string) => findOrderByTag(filled, tag)!.order.status;
    expect([status('F1'), status('W1'), status('C1')]).toEqual(['FILLED', 'ACCEPTED', 'CANCELED']);

    const { state, final } = withoutFinalOrders(filled);
    expect(final.map((xo) => xo.order.tag)).toEqual(['F1', 'C1']); // placement order
    expect(Object.values(state.orders).map((xo) => xo.order.tag)).toEqual(['W1']);
    expect(Object.keys(state.tagIndex)).toEqual(['W1']);
    expect(state.positions).toBe(filled.positions); // cash and positions are the book's, untouched
    expect(state.cash).toBe(filled.cash);
    expect(withoutFinalOrders(state).state).toBe(state); // nothing final: the same state back

    // The working order fills the same with or without the closed ones beside it.
    const later = (s: ExchangeState) => step(s, { type: 'MARKET', chain: chain('10:02', { ask: 89.5, bid: 89 }) });
    const full = later(filled);
    const lean = later(state);
    expect(lean.events).toEqual(full.events);
    expect(findOrderByTag(lean.state, 'W1')).toEqual(findOrderByTag(full.state, 'W1'));
    expect(lean.state.positions).toEqual(full.state.positions);
    expect(lean.state.cash).toBe(full.state.cash);
  });
});
