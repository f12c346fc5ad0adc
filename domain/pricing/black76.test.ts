import fc from 'fast-check';
import { black76, black76Price, priceBounds } from './black76';
import { forwardFromChain, forwardFromParity } from './forward';
import { impliedVol } from './implied-vol';
import { normCdf } from './normal';
import { strikeForDelta, surfaceVol, type SurfaceParams } from './vol-surface';

describe('Black-76 against published values', () => {
  it(
    'Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), Black-76 options-on-futures example: ' +
      'F=19 K=19 T=0.75 r=0.10 σ=0.28 → call = put = 1.7011',
    () => {
      const base = { forward: 19, strike: 19, years: 0.75, rate: 0.1, vol: 0.28 };
      expect(black76Price({ ...base, type: 'call' })).toBeCloseTo(1.7011, 4);
      expect(black76Price({ ...base, type: 'put' })).toBeCloseTo(1.7011, 4);
    },
  );

  it(
    'Hull, Options, Futures, and Other Derivatives, futures-option put example: ' +
      'F=20 K=20 r=9% T=4 months σ=25% → 1.12 (1.1166 to 4 d.p., recomputed independently with erfc in Python)',
    () => {
      const p = black76Price({ type: 'put', forward: 20, strike: 20, years: 4 / 12, rate: 0.09, vol: 0.25 });
      expect(p).toBeCloseTo(1.12, 2);
      expect(p).toBeCloseTo(1.1166, 4);
    },
  );

  it(
    'Hull Black-Scholes example S=42 K=40 r=10% σ=20% T=0.5 (c=4.76, p=0.81) ' +
      're-expressed on the forward F = 42·e^0.05 = 44.15339: c=4.7594, p=0.8086',
    () => {
      // On a non-dividend stock Black-76 with F = S·e^(rT) equals Black-Scholes; Hull quotes
      // 4.76 and 0.81, the 4-d.p. figures (d1 = 0.7693, d2 = 0.6278) are recomputed by hand.
      const F = 42 * Math.exp(0.1 * 0.5);
      const base = { forward: F, strike: 40, years: 0.5, rate: 0.1, vol: 0.2 };
      expect(black76Price({ ...base, type: 'call' })).toBeCloseTo(4.7594, 4);
      expect(black76Price({ ...base, type: 'put' })).toBeCloseTo(0.8086, 4);
    },
  );

  it('normal CDF matches textbook table values', () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(1.96)).toBeCloseTo(0.9750021, 7);
    expect(normCdf(-1)).toBeCloseTo(0.1586553, 7);
  });
});

describe('Black-76 greeks', () => {
  const base = { forward: 25_000, strike: 24_500, years: 10 / 365, rate: 0.065, vol: 0.14 };
  it.each(['call', 'put'] as const)('%s greeks agree with central finite differences', (type) => {
    const g = black76({ ...base, type });
    const h = 0.5;
    const up = black76Price({ ...base, type, forward: base.forward + h });
    const dn = black76Price({ ...base, type, forward: base.forward - h });
    expect(g.delta).toBeCloseTo((up - dn) / (2 * h), 6);
    expect(g.gamma).toBeCloseTo((up - 2 * g.price + dn) / (h * h), 6);
    const dv = 1e-5;
    const vegaFd =
      (black76Price({ ...base, type, vol: base.vol + dv }) - black76Price({ ...base, type, vol: base.vol - dv })) /
      (2 * dv);
    expect(g.vega / vegaFd).toBeCloseTo(1, 6);
    const dt = 1e-6;
    const thetaFd =
      -(
        black76Price({ ...base, type, years: base.years + dt }) -
        black76Price({ ...base, type, years: base.years - dt })
      ) /
      (2 * dt);
    expect(g.theta / thetaFd).toBeCloseTo(1, 5);
  });

  it('at zero time the price is discounted intrinsic', () => {
    const g = black76({ ...base, years: 0, type: 'call' });
    expect(g.price).toBe(500);
    expect(g.delta).toBe(1);
    expect(g.gamma).toBe(0);
  });
});

describe('implied volatility', () => {
  it('round-trips the Haug example', () => {
    const r = impliedVol({ type: 'call', price: 1.701050725236268, forward: 19, strike: 19, years: 0.75, rate: 0.1 });
    expect(r.ok && r.vol).toBeCloseTo(0.28, 10);
  });

  it('reports NO_VOLATILITY_FITS outside the no-arbitrage bounds', () => {
    const below = impliedVol({ type: 'call', price: 400, forward: 25_000, strike: 24_500, years: 0.02, rate: 0.065 });
    expect(below).toMatchObject({ ok: false, reason: 'NO_VOLATILITY_FITS' });
    const above = impliedVol({ type: 'put', price: 24_000, forward: 25_000, strike: 24_000, years: 0.02, rate: 0.065 });
    expect(above).toMatchObject({ ok: false, reason: 'NO_VOLATILITY_FITS' });
    expect(impliedVol({ type: 'put', price: 10, forward: 100, strike: 100, years: 0, rate: 0 })).toMatchObject({
      ok: false,
    });
  });

  it('round-trips random strikes, tenors and vols (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('call' as const, 'put' as const),
        fc.double({ min: 0.7, max: 1.3, noNaN: true }),
        fc.double({ min: 1 / 365, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1.2, noNaN: true }),
        (type, moneyness, years, vol) => {
          const input = { type, forward: 25_000, strike: 25_000 * moneyness, years, rate: 0.065 };
          const price = black76Price({ ...input, vol });
          // Time value below a paisa carries no vol information (deep OTM or deep ITM); skip it.
          const { lower } = priceBounds(type, input.forward, input.strike, years, input.rate);
          fc.pre(price - lower > 0.01);
          const r = impliedVol({ ...input, price });
          expect(r.ok).toBe(true);
          if (r.ok)
            expect(Math.abs(black76Price({ ...input, vol: r.vol }) - price)).toBeLessThanOrEqual(
              1e-9 * Math.max(1, price),
            );
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('put-call parity and the forward', () => {
  it('C − P = e^(−rT)(F − K) for any inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1000, max: 80_000, noNaN: true }),
        fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        fc.double({ min: 0.001, max: 2, noNaN: true }),
        fc.double({ min: -0.02, max: 0.15, noNaN: true }),
        fc.double({ min: 0.01, max: 1.5, noNaN: true }),
        (forward, m, years, rate, vol) => {
          const strike = forward * m;
          const c = black76Price({ type: 'call', forward, strike, years, rate, vol });
          const p = black76Price({ type: 'put', forward, strike, years, rate, vol });
          expect(c - p).toBeCloseTo(Math.exp(-rate * years) * (forward - strike), 6);
          expect(forwardFromParity(c, p, strike, years, rate)).toBeCloseTo(forward, 5);
          const b = priceBounds('call', forward, strike, years, rate);
          expect(c).toBeGreaterThanOrEqual(b.lower - 1e-9);
          expect(c).toBeLessThanOrEqual(b.upper + 1e-9);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('recovers the forward from a chain of call/put pairs', () => {
    const forward = 25_123.4;
    const pairs = [24_900, 25_000, 25_100, 25_200, 25_300].map((strike) => ({
      strike,
      call: black76Price({ type: 'call', forward, strike, years: 0.05, rate: 0.065, vol: 0.13 }),
      put: black76Price({ type: 'put', forward, strike, years: 0.05, rate: 0.065, vol: 0.13 }),
    }));
    expect(forwardFromChain(pairs, 0.05, 0.065)).toBeCloseTo(forward, 8);
  });

  it('put delta falls in magnitude as the strike falls (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.6, max: 1.4, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        fc.double({ min: 1 / 365, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (m, gap, years, vol) => {
          const forward = 25_000;
          const hi = black76({ type: 'put', forward, strike: forward * m, years, rate: 0.065, vol });
          const lo = black76({ type: 'put', forward, strike: forward * m * (1 - gap), years, rate: 0.065, vol });
          expect(Math.abs(lo.delta)).toBeLessThanOrEqual(Math.abs(hi.delta));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('strike selection by delta on a skewed surface', () => {
  const surface: SurfaceParams = { atmVol: 0.12, skew: -0.2, smile: 0.05, termSlope: 0.05 };
  const forward = 25_040;
  const years = 7 / 365;

  it('picks the 5-delta put, richer in vol than the ATM strike because of the skew', () => {
    const pick = strikeForDelta({
      type: 'put',
      forward,
      years,
      rate: 0.065,
      targetDelta: 0.05,
      strikeStep: 50,
      volAt: (k) => surfaceVol(surface, forward, k, years),
    });
    expect(pick.strike % 50).toBe(0);
    expect(pick.strike).toBeLessThan(forward);
    expect(Math.abs(pick.delta)).toBeGreaterThan(0.03);
    expect(Math.abs(pick.delta)).toBeLessThan(0.07);
    expect(pick.vol).toBeGreaterThan(surfaceVol(surface, forward, 25_050, years));
    // No neighbouring strike is closer to the target.
    for (const k of [pick.strike - 50, pick.strike + 50]) {
      const vol = surfaceVol(surface, forward, k, years);
      const d = black76({ type: 'put', forward, strike: k, years, rate: 0.065, vol }).delta;
      expect(Math.abs(Math.abs(d) - 0.05)).toBeGreaterThanOrEqual(Math.abs(Math.abs(pick.delta) - 0.05));
    }
  });

  it('a skewed surface puts the 5-delta put further from the money than flat ATM vol would', () => {
    const common = { type: 'put' as const, forward, years, rate: 0.065, targetDelta: 0.05, strikeStep: 50 };
    const skewed = strikeForDelta({ ...common, volAt: (k) => surfaceVol(surface, forward, k, years) });
    const flat = strikeForDelta({ ...common, volAt: () => surfaceVol(surface, forward, forward, years) });
    expect(skewed.strike).toBeLessThan(flat.strike);
  });
});
