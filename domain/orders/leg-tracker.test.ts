import fc from 'fast-check';
import { LegTracker, type BrokerOrderView, type Leg } from './leg-tracker';
import { ORDER_STATUSES, orderInvariantViolations, type OrderStatus } from './state-machine';

const tracker = () => new LegTracker((purpose, leg, attempt) => `T${purpose === 'entry' ? 'E' : 'U'}${leg}${attempt}`);

type Trade = BrokerOrderView['trades'][number];
const trade = (tradeId: string, quantity: number, price = '100', filledAt = '2026-05-06T09:30:00Z') => ({
  tradeId,
  quantity,
  price,
  filledAt,
});
const view = (status: OrderStatus, trades: Trade[] = [], extra: Partial<BrokerOrderView> = {}): BrokerOrderView => ({
  found: true,
  brokerOrderId: 'B1',
  status,
  filledQuantity: trades.reduce((s, t) => s + t.quantity, 0),
  statusMessage: null,
  trades,
  duplicates: 1,
  ...extra,
});
const placed = (v: BrokerOrderView) => ({ outcome: 'placed' as const, message: null, snapshot: v });

describe('leg tracker', () => {
  it('sends hedges (BUY) first, then by leg, and tags every leg from its purpose, leg and attempt', () => {
    const t = tracker();
    const legs = [
      t.openEntry(0, { side: 'SELL', quantity: 65, orderType: 'LIMIT', limitPrice: '120.5' }),
      t.openEntry(1, { side: 'BUY', quantity: 65, orderType: 'LIMIT', limitPrice: '40' }),
      t.openEntry(2, { side: 'SELL', quantity: 65, orderType: 'MARKET', limitPrice: '99' }),
      t.openEntry(3, { side: 'BUY', quantity: 65, orderType: 'LIMIT', limitPrice: '10' }),
    ];
    expect(t.sendOrder(legs).map((l) => l.leg)).toEqual([1, 3, 0, 2]);
    expect(legs.map((l) => l.tag)).toEqual(['TE00', 'TE10', 'TE20', 'TE30']);
    expect(legs[2]).toMatchObject({ orderType: 'MARKET', price: undefined });
    expect(legs[0]).toMatchObject({ price: '120.5', sent: false, order: { status: 'INITIALIZED' } });
  });

  it('folds partial fills until the leg is filled, each trade once however often it is reported', () => {
    const t = tracker();
    const leg = t.openEntry(0, { side: 'BUY', quantity: 130, orderType: 'LIMIT', limitPrice: '101.5' });
    expect(t.placed(leg, placed(view('ACCEPTED')))).toBeNull();
    expect(leg).toMatchObject({ sent: true, brokerOrderId: 'B1', order: { status: 'ACCEPTED' } });
    t.observe(leg, view('PARTIALLY_FILLED', [trade('a', 65, '101.5')]));
    t.observe(leg, view('PARTIALLY_FILLED', [trade('a', 65, '101.5')]));
    expect(leg.order).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 65 });
    t.observe(leg, view('FILLED', [trade('a', 65, '101.5'), trade('bb', 65, '101.55')]));
    expect(leg.order).toMatchObject({ status: 'FILLED', filledQty: 130, avgPrice: '101.525' });
    expect(t.allFilled([leg])).toBe(true);
    expect(t.anomalies()).toEqual([]);
  });

  it('describes a denied, a rejected and an unconfirmed placement, and finds the dead leg', () => {
    const t = tracker();
    const [a, b, c] = [0, 1, 2].map((i) => t.openEntry(i, { side: 'SELL', quantity: 1, orderType: 'MARKET' })) as [
      Leg,
      Leg,
      Leg,
    ];
    expect(t.placed(a, { outcome: 'denied', message: 'dry-run lock', snapshot: null })).toBe(
      'entry leg 0 (TE00) denied: dry-run lock',
    );
    expect(t.placed(b, { outcome: 'rejected', message: 'RMS: margin', snapshot: null })).toBe(
      'entry leg 1 (TE10) rejected: RMS: margin',
    );
    expect(t.unconfirmed(c, 'broker unavailable')).toBe(
      'entry leg 2 (TE20): outcome unknown after retries: broker unavailable',
    );
    expect([a, b, c].map((l) => [l.sent, l.order.status])).toEqual([
      [true, 'DENIED'],
      [true, 'REJECTED'],
      [true, 'INITIALIZED'],
    ]);
    expect(t.failure([c, b])).toBe('entry leg 1 (TE10) rejected: RMS: margin');
    expect(t.anyRefused([a])).toBe(true);
    // It may have reached the broker: a cancel must try it.
    expect(t.working([a, b, c])).toEqual([c]);
  });

  it('a rejection the broker reports later is the failure, with its reason', () => {
    const t = tracker();
    const leg = t.openEntry(0, { side: 'BUY', quantity: 10, orderType: 'LIMIT', limitPrice: '5' });
    expect(t.placed(leg, placed(view('REJECTED', [], { statusMessage: 'price band' })))).toBe(
      'entry leg 0 (TE00) rejected: price band',
    );
    expect(t.failure([leg])).toBe('entry leg 0 (TE00) rejected: price band');
  });

  it('notes an overfill, a trade on a filled order, a duplicate tag and a view for an unknown tag', () => {
    const t = tracker();
    const leg = t.openEntry(0, { side: 'SELL', quantity: 10, orderType: 'MARKET' });
    t.placed(leg, placed(view('FILLED', [trade('a', 10)])));
    t.observe(leg, view('FILLED', [trade('a', 10), trade('b', 5)], { duplicates: 2 }));
    t.observeAll([{ ...view('ACCEPTED'), tag: 'NOPE' }]);
    expect(leg.order.filledQty).toBe(10);
    expect(t.anomalies()).toEqual([
      'TE00: 2 broker orders carry this tag',
      'TE00: broker reports 15 filled of 10 (overfill)',
      'TE00: trade b not applied: INVALID_TRANSITION: FILL is not allowed in FILLED',
      'NOPE: a broker view for a tag this structure never opened',
    ]);

    const u = tracker();
    const over = u.openEntry(0, { side: 'BUY', quantity: 10, orderType: 'MARKET' });
    u.placed(over, placed(view('PARTIALLY_FILLED', [trade('a', 6), trade('bb', 6)])));
    expect(over.order.filledQty).toBe(6);
    expect(u.anomalies().join('\n')).toMatch(/TE00: trade bb not applied: OVERFILL/);
  });

  it('keeps a fill that lands after the cancel was requested', () => {
    const t = tracker();
    const leg = t.openEntry(1, { side: 'SELL', quantity: 10, orderType: 'LIMIT', limitPrice: '50' });
    t.placed(leg, placed(view('ACCEPTED')));
    expect(t.working([leg])).toEqual([leg]);
    t.cancelRequested(leg);
    expect(leg.order.status).toBe('PENDING_CANCEL');
    expect(t.unsettled([leg])).toEqual([leg]);
    t.observe(leg, view('FILLED', [trade('late', 10)]));
    expect(leg.order.status).toBe('FILLED');
    expect(t.unsettled([leg])).toEqual([]);
  });

  it('unwinds filled entries last-sent first, opposite side, MARKET, for exactly what is open', () => {
    const t = tracker();
    const buy = t.openEntry(0, { side: 'BUY', quantity: 20, orderType: 'LIMIT', limitPrice: '10' });
    const sell = t.openEntry(1, { side: 'SELL', quantity: 20, orderType: 'LIMIT', limitPrice: '30' });
    const idle = t.openEntry(2, { side: 'SELL', quantity: 20, orderType: 'LIMIT', limitPrice: '30' });
    t.placed(buy, placed(view('FILLED', [trade('a', 20)])));
    t.placed(sell, placed(view('PARTIALLY_FILLED', [trade('b', 5)])));
    t.placed(idle, placed(view('ACCEPTED')));
    const plan = t.toUnwind(t.sendOrder([buy, sell, idle]));
    expect(plan.map((l) => l.leg)).toEqual([1, 0]);

    const u0 = t.openUnwind(sell, 0)!;
    expect(u0).toMatchObject({ tag: 'TU10', purpose: 'unwind', side: 'BUY', quantity: 5, orderType: 'MARKET' });
    expect(u0.price).toBeUndefined();
    t.placed(u0, placed(view('PARTIALLY_FILLED', [trade('c', 3)])));
    const u1 = t.openUnwind(sell, 1)!;
    expect(u1).toMatchObject({ tag: 'TU11', side: 'BUY', quantity: 2 });
    t.placed(u1, placed(view('FILLED', [trade('d', 2)])));
    expect(t.openUnwind(sell, 2)).toBeNull();
    expect(t.openQuantity(sell)).toBe(0);
    expect(t.openUnwind(buy, 0)).toMatchObject({ tag: 'TU00', side: 'SELL', quantity: 20 });
    expect(t.all().map((l) => l.tag)).toEqual(['TE00', 'TE10', 'TE20', 'TU10', 'TU11', 'TU00']);
  });

  it('random broker views never make a leg accept an overfill or drop a trade silently (property)', () => {
    const quantity = 10;
    const tradeArb = fc.record({
      tradeId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      quantity: fc.integer({ min: 1, max: 7 }),
      price: fc.constantFrom('100', '100.05', '99.95'),
      filledAt: fc.constantFrom('2026-05-06T09:30:00Z', '2026-05-06T09:31:00Z'),
    });
    const viewArb: fc.Arbitrary<BrokerOrderView> = fc.record({
      found: fc.boolean(),
      brokerOrderId: fc.constant('B1'),
      status: fc.constantFrom(...ORDER_STATUSES),
      filledQuantity: fc.integer({ min: 0, max: 14 }),
      statusMessage: fc.option(fc.constant('venue says'), { nil: null }),
      trades: fc.array(tradeArb, { maxLength: 5 }),
      duplicates: fc.integer({ min: 0, max: 2 }),
    });
    const step = fc.oneof(
      { weight: 8, arbitrary: viewArb.map((v) => ({ kind: 'view' as const, v })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
    );
    fc.assert(
      fc.property(fc.constantFrom('BUY', 'SELL'), fc.array(step, { maxLength: 25 }), (side, steps) => {
        const t = tracker();
        const leg = t.openEntry(0, { side, quantity, orderType: 'LIMIT', limitPrice: '100' });
        const reported = new Set<string>();
        for (const s of steps) {
          if (s.kind === 'cancel') t.cancelRequested(leg);
          else {
            t.observe(leg, s.v);
            if (s.v.found) for (const tr of s.v.trades) reported.add(tr.tradeId);
          }
          expect(orderInvariantViolations(leg.order)).toEqual([]);
          expect(leg.order.filledQty).toBeLessThanOrEqual(quantity);
          const applied = new Set(leg.order.fills.map((f) => f.fillId));
          for (const id of applied) expect(reported.has(id)).toBe(true);
          // A reported trade is either in the order or named in an anomaly: nothing vanishes.
          for (const id of reported) {
            if (applied.has(id)) continue;
            expect(t.anomalies().some((a) => a.includes(`trade ${id} `))).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('random unwind fills never unwind more than the entry filled (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }),
        (quantity, filledRaw, fractions) => {
          const filled = Math.min(quantity, filledRaw);
          const t = tracker();
          const entry = t.openEntry(0, { side: 'SELL', quantity, orderType: 'LIMIT', limitPrice: '50' });
          t.placed(
            entry,
            placed(view(filled > 0 ? 'PARTIALLY_FILLED' : 'ACCEPTED', filled ? [trade('e', filled)] : [])),
          );
          expect(t.toUnwind([entry]).length).toBe(filled > 0 ? 1 : 0);
          let unwound = 0;
          fractions.forEach((fraction, attempt) => {
            const open = t.openQuantity(entry);
            const u = t.openUnwind(entry, attempt);
            if (open === 0) return expect(u).toBeNull();
            expect(u!.quantity).toBe(open);
            expect(u!.quantity).toBeLessThanOrEqual(filled - unwound);
            expect(u!.side).toBe('BUY');
            const got = Math.floor(fraction * u!.quantity);
            t.placed(
              u!,
              placed(view(got === u!.quantity ? 'FILLED' : 'ACCEPTED', got ? [trade(`u${attempt}`, got)] : [])),
            );
            unwound += got;
          });
          const allUnwinds = t.all().filter((l) => l.purpose === 'unwind');
          expect(allUnwinds.reduce((s, l) => s + l.order.filledQty, 0)).toBe(unwound);
          expect(unwound).toBeLessThanOrEqual(filled);
          expect(t.openQuantity(entry)).toBe(filled - unwound);
          expect(t.anomalies()).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
