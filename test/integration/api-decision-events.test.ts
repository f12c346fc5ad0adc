/**
 * A decision's row after it is made: recording its placement's outcome (setDecisionOutcome, as
 * recordTrade does) announces the new status on the `decisions` channel with its orders' states, in
 * the same transaction; recording the same outcome again (a retried activity) announces nothing, and a
 * rolled-back outcome announces nothing either.
 */
import { setDecisionOutcome } from '../../db/decisions';
import { withTenant } from '../../db/tenant';
import { testPool } from '../support/env';
import { createTenant } from '../support/orders-env';

describe('decision status events', () => {
  const pool = testPool('app');

  it('one event per change of status, with the orders as they stand; none for a repeat or a rollback', async () => {
    const t = await createTenant(pool, 'dec-ev');
    const events = () =>
      withTenant(pool, t.id, async ({ client }) => {
        const { rows } = await client.query<{ payload: Record<string, unknown> }>(
          `SELECT payload FROM api_events WHERE tenant_id = $1 AND channel = 'decisions' ORDER BY id`,
          [t.id],
        );
        return rows.map((r) => r.payload);
      });
    await withTenant(pool, t.id, async ({ client }) => {
      await client.query(
        `INSERT INTO decisions (tenant_id, id, trading_date, workflow_id, run_id, structure, instrument, lots,
                                net_ev, status)
         VALUES ($1, 'ev-d1', '2026-05-06', 'wf-1', 'run-1', 'bear_call_spread', 'NIFTY', 2, 234.60, 'trade')`,
        [t.id],
      );
      await client.query(
        `INSERT INTO orders (tenant_id, tag, decision_id, leg_index, broker, instrument, tradingsymbol, side, quantity,
                             filled_quantity, order_type, status)
         VALUES ($1, 'EVT-E1', 'ev-d1', 1, 'paper', 'NIFTY', 'NIFTY2651226600CE', 'BUY', 130, 130, 'MARKET', 'FILLED'),
                ($1, 'EVT-E0', 'ev-d1', 0, 'paper', 'NIFTY', 'NIFTY2651226400CE', 'SELL',
                 130, 130, 'MARKET', 'FILLED')`,
        [t.id],
      );
    });
    expect((await events()).map((e) => [e.kind ?? 'new', e.status])).toEqual([['new', 'trade']]);

    // A rolled-back outcome: nothing was announced.
    await expect(
      withTenant(pool, t.id, async (tx) => {
        await setDecisionOutcome(tx, 'ev-d1', { status: 'rejected', costBreakdown: {} });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await events()).toHaveLength(1);

    for (let attempt = 0; attempt < 2; attempt++)
      await withTenant(pool, t.id, (tx) => setDecisionOutcome(tx, 'ev-d1', { status: 'filled', costBreakdown: {} }));
    const all = await events();
    expect(all).toHaveLength(2);
    expect(all[1]).toEqual({
      kind: 'status',
      decisionId: 'ev-d1',
      tradingDate: '2026-05-06',
      status: 'filled',
      previousStatus: 'trade',
      structure: 'bear_call_spread',
      instrument: 'NIFTY',
      lots: 2,
      netEv: '234.60',
      workflowId: 'wf-1',
      createdAt: expect.any(String),
      orders: [
        { tag: 'EVT-E0', leg: 0, status: 'FILLED', quantity: 130, filledQuantity: 130 },
        { tag: 'EVT-E1', leg: 1, status: 'FILLED', quantity: 130, filledQuantity: 130 },
      ],
    });
  });
});
