import { computeCosts } from '../costs';
import { dec } from '../money';
import { SimBook, type QuoteBook } from './sim-book';

// A bull put spread, 1 lot of 65: sell the 24000 PE (bid 40.00 / ask 40.50), buy the 23800 PE (12.00 / 12.50).
const legs = [
  {
    tradingsymbol: 'NIFTY2651224000PE',
    side: 'SELL' as const,
    quantity: 65,
    quote: { bid: 40, ask: 40.5, mid: 40.25 },
  },
  { tradingsymbol: 'NIFTY2651223800PE', side: 'BUY' as const, quantity: 65, quote: { bid: 12, ask: 12.5, mid: 12.25 } },
];
const quotes =
  (short: [number, number], long: [number, number]): QuoteBook =>
  (s) => {
    const [bid, ask] = s.includes('24000') ? short : long;
    return { bid, ask, mid: (bid + ask) / 2 };
  };
type Fill = ['BUY' | 'SELL', number];
/** One charge per order set, as the book charges an entry or an exit. */
const costOf = (...fills: Fill[]) =>
  dec(
    computeCosts(
      fills.map(([side, price]) => ({
        instrument: 'NIFTY' as const,
        kind: 'option' as const,
        side,
        lots: 1,
        price,
        date: '2026-05-06',
        spread: 0.5,
      })),
    ).total,
  );

describe('the backtest book', () => {
  it('enters and exits at the natural price, charges the real costs both ways, counts the exit', () => {
    const book = new SimBook('NIFTY', '2026-05-06', 65);
    book.enter({
      decisionId: 'a',
      structure: 'BULL_PUT_SPREAD',
      lots: 1,
      minute: 570,
      nearestExpiry: '2026-05-12',
      legs,
    });
    // Credit at natural: (40.00 − 12.50) × 65 = 1787.50; the positions the castle sees.
    expect(book.positions()).toEqual([
      { tradingsymbol: 'NIFTY2651224000PE', quantity: -65, averagePrice: '40.00' },
      { tradingsymbol: 'NIFTY2651223800PE', quantity: 65, averagePrice: '12.50' },
    ]);
    // At mids 25.25 and 8.25 the spread is worth 17.00: 10.50 × 65 = 682.50 made, 38% of the credit: hold.
    const later = quotes([25, 25.5], [8, 8.5]);
    expect(book.unrealised(later).toFixed(2)).toBe('682.50');
    book.applyExits(600, later);
    expect(book.open).toHaveLength(1);
    // Mids 15.25 / 6.25: worth 9.00, (27.50 − 9.00) × 65 = 1202.50 = 67% ≥ 50%: profit target; closes at natural.
    const target = quotes([15, 15.5], [6, 6.5]);
    book.applyExits(630, target);
    expect(book.open).toHaveLength(0);
    expect(book.exits).toEqual({ profit_target: 1 });
    // Realised at natural: sold 40.00 bought back 15.50, bought 12.50 sold 6.00: (24.50 − 6.50) × 65 = 1170.00.
    expect(book.closedPnls).toEqual(['1170.00']);
    const costs = costOf(['SELL', 40], ['BUY', 12.5]).plus(costOf(['BUY', 15.5], ['SELL', 6]));
    expect(book.costs.toFixed(2)).toBe(costs.toFixed(2));
    expect(book.net().toFixed(2)).toBe(dec(1170).minus(costs).toFixed(2));
    // Attribution: the structure, how it closed, its P&L and both charges.
    expect(book.closedTrades).toEqual([
      {
        decisionId: 'a',
        structure: 'BULL_PUT_SPREAD',
        reason: 'profit_target',
        pnl: '1170.00',
        costs: costs.toFixed(2),
      },
    ]);
    book.mark(target);
    expect(book.path).toEqual([book.net().toFixed(2)]);
  });

  it('squares off whatever is left', () => {
    const book = new SimBook('NIFTY', '2026-05-06', 65);
    book.enter({
      decisionId: 'b',
      structure: 'BULL_PUT_SPREAD',
      lots: 1,
      minute: 570,
      nearestExpiry: '2026-05-12',
      legs,
    });
    book.mark(quotes([50, 50.5], [14, 14.5]));
    // The long strike has left the chain by the close: it sells at its last bid.
    book.closeAll((sym) => (sym.includes('24000') ? { bid: 50, ask: 50.5, mid: 50.25 } : undefined));
    // (40.00 − 50.50) + (14.00 − 12.50) = −9.00 × 65 = −585.00.
    expect(book.closedPnls).toEqual(['-585.00']);
    expect(book.closedTrades[0]).toMatchObject({ reason: 'square_off', pnl: '-585.00' });
    expect(book.open).toEqual([]);
    expect(book.positions()).toEqual([]);
  });
});

describe("the backtest book's daily loss guard", () => {
  it('closes everything at the limit and stops entering', () => {
    const book = new SimBook('NIFTY', '2026-05-06', 65);
    book.enter({
      decisionId: 'c',
      structure: 'BULL_PUT_SPREAD',
      lots: 1,
      minute: 570,
      nearestExpiry: '2026-05-12',
      legs,
    });
    book.guardDailyLoss(quotes([50, 50.5], [14, 14.5]), '25000.00');
    expect({ open: book.open.length, reducing: book.reducing }).toEqual({ open: 1, reducing: false });
    // Mids 60.25 and 14.25 lose (40.00 − 60.25 + 14.25 − 12.50) × 65 = −1202.50 plus costs: over a ₹1,000 limit;
    // closed at natural, (40.00 − 60.50 + 14.00 − 12.50) × 65 = −1235.00.
    book.guardDailyLoss(quotes([60, 60.5], [14, 14.5]), '1000.00');
    expect({ open: book.open.length, reducing: book.reducing }).toEqual({ open: 0, reducing: true });
    expect(book.closedPnls).toEqual(['-1235.00']);
    expect(book.closedTrades[0]).toMatchObject({ reason: 'loss_guard', pnl: '-1235.00' });
  });
});
