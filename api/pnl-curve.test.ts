import { maxDrawdown, realisedCurve, type CurveFill } from './pnl-curve';

const at = (m: number) => new Date(Date.UTC(2026, 2, 10, 4, m));
const fill = (m: number, tradingsymbol: string, side: 'BUY' | 'SELL', quantity: number, price: string): CurveFill => ({
  filledAt: at(m),
  tradingsymbol,
  side,
  quantity,
  price,
});

describe('realisedCurve', () => {
  it('realises a short closed in two parts at the average sale price, exactly', () => {
    const curve = realisedCurve([
      fill(0, 'A', 'SELL', 65, '100.10'),
      fill(1, 'A', 'SELL', 65, '100.20'),
      fill(2, 'A', 'BUY', 65, '90.15'),
      fill(3, 'A', 'BUY', 65, '110.15'),
    ]);
    // Average sale 100.15: +10 × 65 then −10 × 65.
    expect(curve.map((p) => p.pnl)).toEqual(['0.00', '0.00', '650.00', '0.00']);
  });

  it('keeps symbols apart and opens the remainder of a flip at the flipping price', () => {
    const curve = realisedCurve([
      fill(0, 'A', 'BUY', 50, '10'),
      fill(1, 'B', 'SELL', 50, '20'),
      fill(2, 'A', 'SELL', 75, '12'),
      fill(3, 'A', 'BUY', 25, '11'),
      fill(4, 'B', 'BUY', 50, '19.5'),
    ]);
    expect(curve.map((p) => p.pnl)).toEqual(['0.00', '0.00', '100.00', '125.00', '150.00']);
  });
});

describe('maxDrawdown', () => {
  it('is the largest fall from a running peak, counting from zero', () => {
    expect(maxDrawdown([])).toBe('0.00');
    expect(maxDrawdown(['-5', '10', '4', '12', '1.5', '3'])).toBe('10.50');
    expect(maxDrawdown(['-7.25', '-3'])).toBe('7.25');
  });
});
