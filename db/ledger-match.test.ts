import { ledgerMatchesBroker, type LedgerOrderWithFills } from './ledger';
import type { BrokerOrder, BrokerTrade } from '../contracts/broker-reports';

const broker: BrokerOrder = {
  brokerOrderId: 'B1',
  tag: 'T1',
  exchange: 'NFO',
  tradingsymbol: 'NIFTY26MAY24000PE',
  side: 'SELL',
  orderType: 'LIMIT',
  quantity: 75,
  price: '101.25',
  status: 'FILLED',
  brokerStatus: 'COMPLETE',
  filledQuantity: 75,
  pendingQuantity: 0,
  cancelledQuantity: 0,
  averagePrice: '101.25',
  statusMessage: null,
  placedAt: '2026-05-06T04:15:00.000Z',
  updatedAt: '2026-05-06T04:15:01.000Z',
};
const trades: BrokerTrade[] = [
  {
    tradeId: 'F1',
    brokerOrderId: 'B1',
    tradingsymbol: broker.tradingsymbol,
    side: 'SELL',
    quantity: 75,
    price: '101.25',
    filledAt: '2026-05-06T04:15:01.000Z',
  },
  // Another order's trade is not this row's business.
  { ...({} as BrokerTrade), tradeId: 'F9', brokerOrderId: 'B9', quantity: 50, price: '1' },
];
const row: LedgerOrderWithFills = {
  tag: 'T1',
  decisionId: 'd',
  workflowId: 'w',
  purpose: 'entry',
  brokerOrderId: 'B1',
  tradingsymbol: broker.tradingsymbol,
  instrument: 'NIFTY',
  side: 'SELL',
  quantity: 75,
  status: 'FILLED',
  filledQuantity: 75,
  averagePrice: '101.2500', // numeric from Postgres: the same price, other digits
  external: false,
  statusMessage: null,
  resolution: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  realFillIds: ['F1'],
  inferredFills: 0,
};

describe('ledgerMatchesBroker (when a sync would change nothing)', () => {
  it('holds for a row that already says what the broker says, with every trade as a fill', () => {
    expect(ledgerMatchesBroker(row, broker, trades)).toBe(true);
  });

  it('holds for an unfilled order: no average price on either side', () => {
    const open = { ...broker, status: 'ACCEPTED' as const, filledQuantity: 0, averagePrice: '0' };
    expect(
      ledgerMatchesBroker(
        { ...row, status: 'ACCEPTED', filledQuantity: 0, averagePrice: null, realFillIds: [] },
        open,
        [],
      ),
    ).toBe(true);
  });

  it.each([
    ['another broker order id', { ...row, brokerOrderId: 'B2' }, broker, trades],
    ['no broker order id yet', { ...row, brokerOrderId: null }, broker, trades],
    ['another status', { ...row, status: 'PARTIALLY_FILLED' }, broker, trades],
    ['less filled', { ...row, filledQuantity: 50 }, broker, trades],
    ['another average price', { ...row, averagePrice: '101.30' }, broker, trades],
    ['an average price the broker does not report', row, { ...broker, averagePrice: '0' }, trades],
    ['a trade missing from the fills', { ...row, realFillIds: [] }, broker, trades],
    ['an inferred fill to supersede', { ...row, inferredFills: 1 }, broker, trades],
    ['more filled than the trades show', row, broker, [{ ...trades[0]!, quantity: 50 }]],
    ['an overfill', { ...row, quantity: 50, filledQuantity: 75 }, broker, trades],
  ])('does not hold with %s', (_why, r, b, t) => {
    expect(ledgerMatchesBroker(r, b, t)).toBe(false);
  });
});
