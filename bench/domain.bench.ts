/**
 * npm run bench:domain [-- --seconds 1]
 * Throughput of the pure domain code — cost engine, Black-76, implied vol, risk castle — and
 * full option-chain generation latency (p50/p95/p99), each against a baseline measured in the
 * same run: a bare loop of Math.exp plus the normal CDF, the floor any pricing call pays. The
 * money on the hot path is measured both ways: integer paise next to the decimal reference
 * (legs costed per second; the goal is ≥ 1,000,000 for the integer path).
 */
import {
  black76,
  black76Price,
  buildChain,
  buildStructure,
  capitalWall,
  capitalWallDecimal,
  computeCosts,
  computeCostsDecimal,
  costsInPaise,
  evaluateCastle,
  impliedVol,
  lossLimitsWall,
  lossLimitsWallDecimal,
  normCdf,
  proposalFromStructure,
  simulateDay,
  snapshotAt,
  structureCostLegs,
  type CastleInput,
  type CostLeg,
  type TenantLimits,
} from '../domain';

function flag(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!(v > 0)) throw new Error(`--${name}: expected a positive number`);
  return v;
}

const SECONDS = flag('seconds', 1);
let sink = 0; // consumed at the end so the JIT cannot drop the work

/** Calls `fn` in batches for about SECONDS, returns calls per second. */
function throughput(fn: (i: number) => number, batch = 1000): number {
  for (let i = 0; i < batch; i++) sink += fn(i); // warm-up
  const budget = SECONDS * 1000;
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < budget) {
    for (let i = 0; i < batch; i++) sink += fn(calls + i);
    calls += batch;
    elapsed = performance.now() - t0;
  }
  return (calls / elapsed) * 1000;
}

function percentiles(samples: number[]): { p50: number; p95: number; p99: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
  return { p50: q(50), p95: q(95), p99: q(99), max: s[s.length - 1]! };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(12);
const line = (label: string, perSec: number, base: number) =>
  console.log(
    `${label.padEnd(44)} ${fmt(perSec)} /s   ${(1e9 / perSec).toFixed(0).padStart(7)} ns/call   ` +
      `${(base / perSec).toFixed(1).padStart(6)}× baseline`,
  );

function main(): void {
  console.log(`domain benchmark — node ${process.version}, ~${SECONDS}s per measurement\n`);

  // Baseline: the irreducible arithmetic of one option price (an exp and two CDFs).
  const baseline = throughput(
    (i) => Math.exp(-0.065 * ((i % 100) / 365)) * (normCdf((i % 200) / 50 - 2) + normCdf((i % 150) / 40 - 1.5)),
  );
  line('baseline: Math.exp + 2 × normCdf', baseline, baseline);

  const put = (i: number) => ({
    type: 'put' as const,
    forward: 25_000,
    strike: 23_000 + (i % 80) * 50,
    years: 7 / 365,
    rate: 0.065,
    vol: 0.12 + (i % 7) * 0.01,
  });
  const priceOnly = throughput((i) => black76Price(put(i)));
  line('Black-76 price', priceOnly, baseline);
  const withGreeks = throughput((i) => black76(put(i)).delta);
  line('Black-76 price + greeks', withGreeks, baseline);
  const prices = Array.from({ length: 1000 }, (_, i) => black76Price(put(i)));
  const ivs = throughput((i) => {
    const p = put(i % 1000);
    const r = impliedVol({
      type: p.type,
      forward: p.forward,
      strike: p.strike,
      years: p.years,
      rate: p.rate,
      price: prices[i % 1000]!,
    });
    return r.ok ? r.vol : 0;
  }, 200);
  line('implied vol (Newton + bisection guard)', ivs, baseline);

  // A realistic trade: a 4-leg iron condor from a simulated chain, costed with exact decimals.
  const day = simulateDay({ instrument: 'NIFTY', date: '2026-05-05', seed: 7, regime: 'calm' });
  const chain = buildChain(snapshotAt(day, '11:00'));
  const built = buildStructure(chain, { kind: 'IRON_CONDOR' });
  if (!built.ok) throw new Error(built.detail);
  const legs: CostLeg[] = structureCostLegs(built.structure, 2);
  const twoLegs = legs.slice(0, 2);
  const legsPerCall = (legs.length + twoLegs.length) / 2;
  const decimalCosts = throughput((i) => computeCostsDecimal(i % 2 ? legs : twoLegs).legs.length, 100);
  line('cost engine, decimal (reference): 4/2-leg', decimalCosts, baseline);
  const paiseCosts = throughput((i) => costsInPaise(i % 2 ? legs : twoLegs)!.total, 100);
  line('cost engine, integer paise: 4/2-leg', paiseCosts, baseline);
  const costs = throughput((i) => computeCosts(i % 2 ? legs : twoLegs).legs.length, 100);
  line('computeCosts (integer + rupee strings)', costs, baseline);
  const perSec = (x: number) => Math.round(x * legsPerCall).toLocaleString('en-US');
  console.log(
    `  leg evaluations per second: integer ${perSec(paiseCosts)}, decimal ${perSec(decimalCosts)} ` +
      `(${(paiseCosts / decimalCosts).toFixed(0)}× faster; goal ≥ 1,000,000)`,
  );

  const limits: TenantLimits = {
    killSwitch: false,
    maxLotsPerOrder: 10,
    maxLotsPerDay: 40,
    maxCapitalAtRiskShare: '0.05',
    maxDailyLoss: '25000',
    maxDrawdownShare: '0.1',
    maxNetDelta: 500,
    maxNetVega: 5000,
    blackoutWindows: [],
    expiryShortGammaCutoff: '13:30',
  };
  const proposal = proposalFromStructure(built.structure, 2);
  const portfolio = {
    freeCapital: '1000000',
    equity: '1000000',
    peakEquity: '1000000',
    dayPnl: '0',
    lotsTradedToday: 0,
    netDelta: 0,
    netVega: 0,
  };
  const market = { date: '2026-05-05', timestamp: '2026-05-05T11:00:00+05:30', regime: 'calm' as const, halted: false };
  const castleInput: CastleInput = { proposal, portfolio, market, limits };
  const castle = throughput(() => (evaluateCastle(castleInput).pass ? 1 : 0), 100);
  line('risk castle: 7 walls', castle, baseline);
  const wallsDecimal = throughput(
    () => (capitalWallDecimal(castleInput).pass && lossLimitsWallDecimal(castleInput).pass ? 1 : 0),
    100,
  );
  line("castle's money walls, decimal (reference)", wallsDecimal, baseline);
  const wallsPaise = throughput(() => (capitalWall(castleInput).pass && lossLimitsWall(castleInput).pass ? 1 : 0), 100);
  line("castle's money walls, integer paise", wallsPaise, baseline);

  // Full chains: every expiry and strike priced with greeks, spreads, depth, volume and OI.
  const snaps = Array.from({ length: 376 }, (_, m) => snapshotAt(day, m));
  for (let i = 0; i < 20; i++) sink += buildChain(snaps[i]!).expiries.length; // warm-up
  const samples: number[] = [];
  let quotes = 0;
  const t0 = performance.now();
  for (let rep = 0; performance.now() - t0 < SECONDS * 3000 || rep < 100; rep++) {
    const s = snaps[rep % snaps.length]!;
    const t = performance.now();
    const c = buildChain(s);
    samples.push(performance.now() - t);
    quotes = c.expiries.reduce((a, e) => a + e.quotes.length, 0);
    sink += quotes;
  }
  const p = percentiles(samples);
  const perQuoteNs = (p.p50 * 1e6) / quotes;
  console.log(
    `\nfull NIFTY chain (4 expiries, ${quotes} quotes), n=${samples.length}: ` +
      `p50 ${p.p50.toFixed(3)} ms  p95 ${p.p95.toFixed(3)} ms  p99 ${p.p99.toFixed(3)} ms  max ${p.max.toFixed(3)} ms`,
  );
  console.log(
    `  = ${perQuoteNs.toFixed(0)} ns per quote at p50, ` +
      `${((perQuoteNs * baseline) / 1e9).toFixed(1)}× the baseline call`,
  );

  const simSamples: number[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const t = performance.now();
    sink += simulateDay({ instrument: 'NIFTY', date: '2026-05-05', seed }).bars.length;
    simSamples.push(performance.now() - t);
  }
  const sp = percentiles(simSamples);
  console.log(
    `simulated day (375 bars), n=${simSamples.length}: ` +
      `p50 ${sp.p50.toFixed(3)} ms  p95 ${sp.p95.toFixed(3)} ms  p99 ${sp.p99.toFixed(3)} ms`,
  );
  if (sink === 42) console.log(''); // keep `sink` observable
}

main();
