/**
 * The facts a signal can find and a gate must respect, each measured over many seeded days with
 * a test statistic whose null distribution is known, and a threshold (|t| ≥ 4 unless stated)
 * that a simulator without the fact would cross with probability well under 1e-4. Seeds are
 * fixed, so the outcome is deterministic; the thresholds are what make it meaningful.
 */
import { INTRADAY_VOL_PROFILE } from './session';
import { simulateDay, simulateDays } from './simulator';
import type { MarketDay, Regime } from './types';

const SEEDS = 200;
const days = (regime: Regime): MarketDay[] =>
  Array.from({ length: SEEDS }, (_, i) =>
    simulateDay({ instrument: 'NIFTY', date: '2026-05-05', seed: i + 1, regime }),
  );
const byRegime: Record<Regime, MarketDay[]> = { calm: days('calm'), trending: days('trending'), panic: days('panic') };

const mean = (x: readonly number[]) => x.reduce((a, v) => a + v, 0) / x.length;
const sd = (x: readonly number[]) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1));
};
/** One-sample t statistic of the mean against 0 (the samples are independent days or pairs). */
const tStat = (x: readonly number[]) => mean(x) / (sd(x) / Math.sqrt(x.length));

const minuteReturns = (d: MarketDay) => d.bars.map((b) => Math.log(b.close / b.open));
const deseasonalisedCache = new WeakMap<MarketDay, number[]>();
/** Minute returns divided by the intraday profile: busy opens and closes are seasonality, not clustering. */
function deseasonalised(d: MarketDay): number[] {
  let x = deseasonalisedCache.get(d);
  if (!x) deseasonalisedCache.set(d, (x = minuteReturns(d).map((r, m) => r / INTRADAY_VOL_PROFILE[m]!)));
  return x;
}
/** Annualised realised vol of the day's minute returns. */
const realisedVol = (d: MarketDay) => Math.sqrt(minuteReturns(d).reduce((a, r) => a + r * r, 0) * 252);

function autocorrelation(x: readonly number[], lag: number): number {
  const m = mean(x);
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i]! - m) ** 2;
    if (i + lag < x.length) num += (x[i]! - m) * (x[i + lag]! - m);
  }
  return num / den;
}

function excessKurtosis(x: readonly number[]): number {
  const m = mean(x);
  const v = mean(x.map((y) => (y - m) ** 2));
  return mean(x.map((y) => (y - m) ** 4)) / (v * v) - 3;
}

/** Non-overlapping 30-minute log returns of a day. */
function halfHourReturns(d: MarketDay): number[] {
  const out: number[] = [];
  for (let k = 0; k + 30 <= d.bars.length; k += 30) out.push(Math.log(d.bars[k + 29]!.close / d.bars[k]!.open));
  return out;
}

describe('stylized facts of the simulated market (200 seeds per regime)', () => {
  it('volatility risk premium: implied above realised in calm, below it in panic', () => {
    // Per day: the day's mean 30-day ATM implied vol minus the vol the day then realised.
    const premium = (r: Regime) => byRegime[r].map((d) => mean(d.bars.map((b) => b.atmVol)) - realisedVol(d));
    const calm = premium('calm');
    const panic = premium('panic');
    expect(tStat(calm)).toBeGreaterThan(4);
    expect(tStat(panic)).toBeLessThan(-4);
    // Sizes as in index options: a vol point or so in calm, several points the other way in panic.
    expect(mean(calm)).toBeGreaterThan(0.005);
    expect(mean(calm)).toBeLessThan(0.04);
    expect(mean(panic)).toBeLessThan(-0.03);
    // Trending markets still carry a premium.
    expect(tStat(premium('trending'))).toBeGreaterThan(4);
  });

  it('volatility clusters: absolute and squared deseasonalised minute returns are autocorrelated', () => {
    // Under independence a day's lag-k autocorrelation is ≈ N(−1/n, 1/n): the t over days tests it.
    for (const regime of ['calm', 'trending', 'panic'] as const) {
      for (const lag of [1, 5]) {
        const abs = byRegime[regime].map((d) => autocorrelation(deseasonalised(d).map(Math.abs), lag));
        const sq = byRegime[regime].map((d) =>
          autocorrelation(
            deseasonalised(d).map((r) => r * r),
            lag,
          ),
        );
        expect({ regime, lag, t: tStat(abs) > 4 }).toEqual({ regime, lag, t: true });
        expect({ regime, lag, t: tStat(sq) > 4 }).toEqual({ regime, lag, t: true });
      }
      // Big enough to matter to a GARCH or HAR forecast, not just detectable.
      const lag1 = byRegime[regime].map((d) => autocorrelation(deseasonalised(d).map(Math.abs), 1));
      expect(mean(lag1)).toBeGreaterThan(0.05);
    }
  });

  it('momentum within trending days: a 30-minute return predicts the next one; not in calm', () => {
    // Products of consecutive half-hour returns have mean 0 without momentum; their t statistic
    // stays valid under heteroskedasticity (no equal-variance assumption).
    const products = (r: Regime) =>
      byRegime[r].flatMap((d) => {
        const x = halfHourReturns(d);
        return x.slice(1).map((v, i) => v * x[i]!);
      });
    expect(tStat(products('trending'))).toBeGreaterThan(4);
    expect(tStat(products('calm'))).toBeLessThan(2);
    // Calm days revert to their moving average: the product is negative on average.
    expect(mean(products('calm'))).toBeLessThan(0);
    // The sign of the last half hour calls the next one on trending days more often than not.
    const hits = byRegime.trending.flatMap((d) => {
      const x = halfHourReturns(d);
      return x.slice(1).map((v, i) => (Math.sign(v) === Math.sign(x[i]!) ? 1 : 0));
    });
    // Binomial(n, 0.5) under no momentum: z = (hits − n/2) / √(n/4).
    const z = (hits.reduce((a: number, h) => a + h, 0) - hits.length / 2) / Math.sqrt(hits.length / 4);
    expect(z).toBeGreaterThan(4);
  });

  it('fat tails: minute returns have excess kurtosis, and jumps come more often as the regime worsens', () => {
    for (const regime of ['calm', 'trending', 'panic'] as const) {
      // Per day, so the day-to-day vol level cannot manufacture kurtosis by mixing.
      const k = byRegime[regime].map((d) => excessKurtosis(deseasonalised(d)));
      expect({ regime, t: tStat(k) > 4 }).toEqual({ regime, t: true });
    }
    // Jumps: moves beyond 6 robust sds of their day (median |r| / 0.6745), which a Gaussian minute
    // return makes about once in 500 million. Counts are Poisson: compare with (b − a) / √(a + b).
    const jumps = (r: Regime) =>
      byRegime[r].reduce((count, d) => {
        const x = deseasonalised(d);
        const robustSd = [...x.map(Math.abs)].sort((a, b) => a - b)[Math.floor(x.length / 2)]! / 0.6745;
        return count + x.filter((v) => Math.abs(v) > 6 * robustSd).length;
      }, 0);
    const calm = jumps('calm');
    const trending = jumps('trending');
    const panic = jumps('panic');
    expect((trending - calm) / Math.sqrt(trending + calm)).toBeGreaterThan(3);
    expect((panic - trending) / Math.sqrt(panic + trending)).toBeGreaterThan(4);
    // Panic jumps are mostly down.
    const down = byRegime.panic.reduce(
      (a, d) =>
        a + minuteReturns(d).filter((r) => r < -0.004).length - minuteReturns(d).filter((r) => r > 0.004).length,
      0,
    );
    expect(down).toBeGreaterThan(0);
  });

  it('runs of consecutive days carry vol: daily realised vol and implied vol persist from day to day', () => {
    // 12 independent 60-day runs; per run the lag-1 autocorrelation of log daily RV and of the
    // closing IV (what HAR-RV and IV rank feed on). Independent days would give ≈ −1/60 each.
    const rv: number[] = [];
    const iv: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const run = simulateDays({ instrument: 'NIFTY', fromDate: '2025-06-02', days: 60, seed });
      rv.push(
        autocorrelation(
          run.map((d) => Math.log(realisedVol(d))),
          1,
        ),
      );
      iv.push(
        autocorrelation(
          run.map((d) => Math.log(d.bars[d.bars.length - 1]!.atmVol)),
          1,
        ),
      );
    }
    expect(tStat(rv)).toBeGreaterThan(4);
    expect(mean(rv)).toBeGreaterThan(0.2);
    expect(tStat(iv)).toBeGreaterThan(4);
    expect(mean(iv)).toBeGreaterThan(0.3);
  });

  it('a run of days is reproducible to the byte and carries the regime and surface over the night', () => {
    const a = simulateDays({ instrument: 'NIFTY', fromDate: '2026-03-02', days: 5, seed: 3 });
    const b = simulateDays({ instrument: 'NIFTY', fromDate: '2026-03-02', days: 5, seed: 3 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    for (let i = 1; i < a.length; i++) {
      const last = a[i - 1]!.bars[374]!;
      const first = a[i]!.bars[0]!;
      // The first bar moves one minute on from the carried surface (4% of the way to target + noise).
      expect(Math.abs(first.atmVol / last.atmVol - 1)).toBeLessThan(0.1);
      // Regimes switch from the second minute on; only a big down-jump can change the first.
      expect([last.regime, 'panic']).toContain(first.regime);
    }
  });
});
