import fc from 'fast-check';
import {
  apply,
  applyAll,
  createOrder,
  orderInvariantViolations,
  ORDER_STATUSES,
  type Order,
  type OrderEvent,
} from './state-machine';

const limit = () =>
  createOrder({ id: 'o1', tag: 'IC1LEG2', side: 'SELL', orderType: 'LIMIT', quantity: 130, limitPrice: '101.50' });

function run(o: Order, events: OrderEvent[]): Order {
  const r = applyAll(o, events);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.order;
}

describe('order state machine', () => {
  it('happy path: submit → accept → partial → filled, with an exact average price', () => {
    const o = run(limit(), [
      { type: 'SUBMIT' },
      { type: 'ACCEPT' },
      { type: 'FILL', fillId: 'f1', quantity: 65, price: '101.50' },
    ]);
    expect(o.status).toBe('PARTIALLY_FILLED');
    const done = run(o, [{ type: 'FILL', fillId: 'f2', quantity: 65, price: '101.55' }]);
    expect(done.status).toBe('FILLED');
    expect(done.filledQty).toBe(130);
    // (65 × 101.50 + 65 × 101.55) / 130 = (6,597.50 + 6,600.75) / 130 = 13,198.25 / 130 = 101.525
    expect(done.filledNotional).toBe('13198.25');
    expect(done.avgPrice).toBe('101.525');
    expect(JSON.parse(JSON.stringify(done))).toEqual(done); // plain JSON data
  });

  it('never mutates its input', () => {
    const o = run(limit(), [{ type: 'SUBMIT' }]);
    const frozen = JSON.stringify(o);
    apply(o, { type: 'ACCEPT' });
    expect(JSON.stringify(o)).toBe(frozen);
  });

  it('applies and records a fill arriving in PENDING_CANCEL and after CANCELED (late fill)', () => {
    const pending = run(limit(), [{ type: 'SUBMIT' }, { type: 'ACCEPT' }, { type: 'CANCEL_REQUESTED' }]);
    const partial = run(pending, [{ type: 'FILL', fillId: 'f1', quantity: 65, price: 101.5 }]);
    expect(partial.status).toBe('PENDING_CANCEL');
    expect(partial.filledQty).toBe(65);
    const canceled = run(partial, [{ type: 'CANCELED' }]);
    const late = run(canceled, [{ type: 'FILL', fillId: 'f2', quantity: 20, price: '101.6' }]);
    expect(late.status).toBe('CANCELED');
    expect(late.filledQty).toBe(85);
    expect(late.fills.map((f) => f.late)).toEqual([false, true]);
    const complete = run(late, [{ type: 'FILL', fillId: 'f3', quantity: 45, price: '101.6' }]);
    expect(complete.status).toBe('FILLED');
  });

  it('a rejected cancel restores the prior state, including a partial fill that happened meanwhile', () => {
    const accepted = run(limit(), [{ type: 'SUBMIT' }, { type: 'ACCEPT' }]);
    expect(run(accepted, [{ type: 'CANCEL_REQUESTED' }, { type: 'CANCEL_REJECTED', reason: 'too late' }]).status).toBe(
      'ACCEPTED',
    );
    const r = run(accepted, [
      { type: 'CANCEL_REQUESTED' },
      { type: 'FILL', fillId: 'f1', quantity: 10, price: '101.5' },
      { type: 'CANCEL_REJECTED', reason: 'x' },
    ]);
    expect(r.status).toBe('PARTIALLY_FILLED');
    expect(r.reason).toBe('x');
  });

  it('modify: a rejected update restores, an accepted one changes quantity/price', () => {
    const accepted = run(limit(), [{ type: 'SUBMIT' }, { type: 'ACCEPT' }]);
    const pend = run(accepted, [{ type: 'UPDATE_REQUESTED', limitPrice: '100.00' }]);
    expect(pend.status).toBe('PENDING_UPDATE');
    expect(run(pend, [{ type: 'UPDATE_REJECTED', reason: 'band' }])).toMatchObject({
      status: 'ACCEPTED',
      limitPrice: '101.5',
    });
    expect(run(pend, [{ type: 'UPDATED' }])).toMatchObject({ status: 'ACCEPTED', limitPrice: '100' });
    // Shrinking the order to what is already filled completes it.
    const part = run(accepted, [
      { type: 'FILL', fillId: 'f1', quantity: 65, price: '101.5' },
      { type: 'UPDATE_REQUESTED', quantity: 65 },
      { type: 'UPDATED' },
    ]);
    expect(part.status).toBe('FILLED');
  });

  it('refuses duplicate fill ids, overfills and invalid transitions with a code', () => {
    const a = run(limit(), [
      { type: 'SUBMIT' },
      { type: 'ACCEPT' },
      { type: 'FILL', fillId: 'f1', quantity: 100, price: '1' },
    ]);
    expect(apply(a, { type: 'FILL', fillId: 'f1', quantity: 1, price: '1' })).toMatchObject({
      ok: false,
      error: { code: 'DUPLICATE_FILL' },
    });
    expect(apply(a, { type: 'FILL', fillId: 'f2', quantity: 31, price: '1' })).toMatchObject({
      ok: false,
      error: { code: 'OVERFILL' },
    });
    expect(apply(limit(), { type: 'ACCEPT' })).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    expect(apply(limit(), { type: 'DENY', reason: 'RISK' })).toMatchObject({
      ok: true,
      order: { status: 'DENIED', reason: 'RISK' },
    });
    const rejected = run(limit(), [{ type: 'SUBMIT' }, { type: 'REJECT', reason: 'PRICE_BAND' }]);
    expect(apply(rejected, { type: 'FILL', fillId: 'f1', quantity: 1, price: '1' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_TRANSITION' },
    });
    expect(apply(a, { type: 'FILL', fillId: 'f3', quantity: 1, price: '-1' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_EVENT' },
    });
  });

  it('random event sequences never produce an invalid order (property)', () => {
    const qty = 10;
    const event: fc.Arbitrary<OrderEvent> = fc.oneof(
      fc.constant<OrderEvent>({ type: 'SUBMIT' }),
      fc.constant<OrderEvent>({ type: 'ACCEPT' }),
      fc.constant<OrderEvent>({ type: 'REJECT', reason: 'r' }),
      fc.constant<OrderEvent>({ type: 'DENY', reason: 'd' }),
      fc.record({ type: fc.constant('UPDATE_REQUESTED' as const), quantity: fc.integer({ min: 1, max: 14 }) }),
      fc.record({ type: fc.constant('UPDATED' as const), limitPrice: fc.constantFrom('99.95', '100', '100.05') }),
      fc.constant<OrderEvent>({ type: 'UPDATE_REJECTED', reason: 'u' }),
      fc.constant<OrderEvent>({ type: 'CANCEL_REQUESTED' }),
      fc.constant<OrderEvent>({ type: 'CANCELED' }),
      fc.constant<OrderEvent>({ type: 'CANCEL_REJECTED', reason: 'c' }),
      fc.constant<OrderEvent>({ type: 'EXPIRE' }),
      fc.record({
        type: fc.constant('FILL' as const),
        fillId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        quantity: fc.integer({ min: 1, max: 6 }),
        price: fc.constantFrom('100', '100.05', '99.95'),
      }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 30 }), (events) => {
        let o = createOrder({ id: 'p', side: 'BUY', orderType: 'LIMIT', quantity: qty, limitPrice: '100' });
        for (const e of events) {
          const before = JSON.stringify(o);
          const r = apply(o, e);
          if (!r.ok) {
            expect(JSON.stringify(o)).toBe(before);
            continue;
          }
          o = r.order;
          expect(orderInvariantViolations(o)).toEqual([]);
          expect(ORDER_STATUSES).toContain(o.status);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
