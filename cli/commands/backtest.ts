/**
 * `qs backtest --from d1 --to d2 [--instrument NIFTY] [--seeds 1,2,3] [--cadence 15] [--json]`:
 * the trading day's decide + exit rules over simulated days, in this process, with no orders:
 * each seed's market is one continuous simulated run, each tick decides on its snapshot with the
 * registry's production models against the book the run holds (the castle sees it), entries and
 * exits trade at the natural price with the real cost engine, everything left squares off at
 * 15:15. A baseline runs in the same pass: at every tick where the engine trades, a seeded random
 * structure that builds on the same chain with the same strike rule, sized by the same rule on its
 * own book and put through the same castle with its own state (its refusals counted by wall), with
 * the same exits and costs. Both books keep the live day's daily loss guard (at −limit: close all,
 * stop entering). `--train-through d` trains the decision models in this process on data ending d
 * (before the window: out of sample) instead of reading the registry's production models.
 * Prints net P&L after costs, max drawdown, win rate, refusals by wall, for both.
 */
import { Command } from 'commander';
import { registryModelSource } from '../../activities/decide';
import { strikeChoice, SNAPSHOT_HISTORY_DAYS, tenantRiskView } from '../../activities/decision-inputs';
import { PAPER_DEFAULT_CAPITAL } from '../../broker/paper/paper-broker';
import { formatTradingsymbol, parseTradingsymbol } from '../../broker/tradingsymbol';
import {
  decide,
  DEFAULT_MAX_OPEN_LOTS,
  DEFAULT_TENANT_LIMITS,
  gateStructure,
  roundTripLegs,
  sizeStructure,
  structureParams,
  type DecisionModels,
  type ModelRef,
  type StrikeChoice,
  type TenantRiskView,
} from '../../domain/decision';
import { computeCosts } from '../../domain/costs';
import { INSTRUMENTS, lotSize, type Instrument } from '../../domain/instruments';
import { createSource, simulateDays, type MarketDay } from '../../domain/market';
import { dec, rupees, type Decimal, type Rupees } from '../../domain/money';
import { Rng } from '../../domain/random';
import { buildDecisionSnapshot, type DecisionSnapshot } from '../../domain/snapshot';
import { buildStructure, STRUCTURE_KINDS, type Structure, type StructureLeg } from '../../domain/strategies';
import type { Regime } from '../../domain/market';
import type { SlippageModel } from '../../domain/costs';
import { quoteAt } from '../../domain/strategies/select';
import {
  closedStats,
  countInto,
  firstTickMinute,
  maxDrawdown,
  nextTickMinute,
  refusalKey,
  SimBook,
  SQUARE_OFF_MINUTE,
  tickInstant,
  type QuoteBook,
  type SimLeg,
} from '../../domain/trading-day';
import { tradingWindow } from '../../ml/data/market-window';
import type { ModelSource } from '../../activities/decide';
import type { TenantLimitsRow } from '../../db/tenant-limits';
import { withAppPool } from '../context';
import { parseRupees } from './decide';
import { assertOutOfSample, trainedModelSource } from './backtest-models';
import { parseChoice, parseDate, parsePositiveInt } from '../flags';
import { print } from '../output';
import { UsageError } from '../usage-error';

export interface BacktestOptions {
  readonly from: string;
  readonly to: string;
  readonly instrument: Instrument;
  readonly seeds: readonly number[];
  readonly cadenceMinutes: number;
  /** Train the decision models on data ending here (before `from`) instead of the registry's. */
  readonly trainThrough?: string;
  /** The tenant's daily loss limit both books are held to (default: the platform's). */
  readonly maxDailyLoss?: Rupees;
}

/** Closed structures and their net P&L after costs, under one key (a structure, a regime, an exit). */
export interface Attribution {
  readonly trades: number;
  readonly net: Rupees;
}

export interface PolicyDay {
  readonly date: string;
  readonly seed: number;
  readonly trades: number;
  readonly pnl: Rupees;
  readonly costs: Rupees;
  readonly maxDrawdown: Rupees;
}

export interface PolicyTotals {
  readonly days: number;
  readonly trades: number;
  /** Net of costs. */
  readonly pnl: Rupees;
  readonly costs: Rupees;
  /** Largest fall of the equity path, tick by tick across all days. */
  readonly maxDrawdown: Rupees;
  /** Worst single day's net P&L. */
  readonly worstDay: Rupees;
  readonly closedStructures: number;
  readonly winRate: number | null;
  readonly averageWinner: Rupees | null;
  readonly averageLoser: Rupees | null;
  readonly exits: Readonly<Record<string, number>>;
  readonly refusals: Readonly<Record<string, number>>;
  /** Net P&L after costs by structure, by the regime at entry and by how it closed. */
  readonly attribution: {
    readonly structure: Readonly<Record<string, Attribution>>;
    readonly regime: Readonly<Record<string, Attribution>>;
    readonly exit: Readonly<Record<string, Attribution>>;
  };
  readonly perDay: readonly PolicyDay[];
}

export interface BacktestResult {
  readonly options: BacktestOptions;
  readonly models: readonly ModelRef[];
  readonly engine: PolicyTotals;
  readonly baseline: PolicyTotals;
}

const ref = (m: { id: { typeId: string; version: number; sha256: string } }): ModelRef => ({
  typeId: m.id.typeId,
  version: m.id.version,
  sha256: m.id.sha256,
});

/** Accumulates one policy's days. */
class Policy {
  readonly perDay: PolicyDay[] = [];
  readonly closed: Rupees[] = [];
  readonly path: Rupees[] = [];
  exits: Record<string, number> = {};
  refusals: Record<string, number> = {};
  equity: Decimal = dec(0);
  /** The regime the engine saw at each entry (by decision id). */
  readonly regimes = new Map<string, string>();
  private readonly by = { structure: new Map(), regime: new Map(), exit: new Map() } as Record<
    'structure' | 'regime' | 'exit',
    Map<string, { trades: number; net: Decimal }>
  >;

  private attribute(kind: 'structure' | 'regime' | 'exit', key: string, net: Decimal): void {
    const cur = this.by[kind].get(key) ?? { trades: 0, net: dec(0) };
    this.by[kind].set(key, { trades: cur.trades + 1, net: cur.net.plus(net) });
  }

  add(book: SimBook, seed: number): void {
    for (const t of book.closedTrades) {
      const net = dec(t.pnl).minus(t.costs);
      this.attribute('structure', t.structure, net);
      this.attribute('regime', this.regimes.get(t.decisionId) ?? 'unknown', net);
      this.attribute('exit', t.reason, net);
    }
    const dayStart = this.equity;
    for (const p of book.path) this.path.push(rupees(dayStart.plus(p)));
    this.equity = dayStart.plus(book.net());
    this.closed.push(...book.closedPnls);
    for (const [k, n] of Object.entries(book.exits)) this.exits[k] = (this.exits[k] ?? 0) + n;
    this.perDay.push({
      date: book.date,
      seed,
      trades: book.trades,
      pnl: rupees(book.net()),
      costs: rupees(book.costs),
      maxDrawdown: maxDrawdown(book.path),
    });
  }

  private attribution(kind: 'structure' | 'regime' | 'exit'): Record<string, Attribution> {
    const rows = [...this.by[kind]].sort(([a], [b]) => a.localeCompare(b));
    return Object.fromEntries(rows.map(([k, v]) => [k, { trades: v.trades, net: rupees(v.net) }]));
  }

  totals(): PolicyTotals {
    const sum = (f: (d: PolicyDay) => string) => rupees(this.perDay.reduce((s, d) => s.plus(f(d)), dec(0)));
    const worst = this.perDay.reduce((w, d) => (dec(d.pnl).lessThan(w) ? dec(d.pnl) : w), dec(0));
    return {
      days: this.perDay.length,
      trades: this.perDay.reduce((s, d) => s + d.trades, 0),
      pnl: sum((d) => d.pnl),
      costs: sum((d) => d.costs),
      maxDrawdown: maxDrawdown(this.path),
      worstDay: rupees(worst),
      ...closedStats(this.closed),
      exits: this.exits,
      refusals: this.refusals,
      attribution: {
        structure: this.attribution('structure'),
        regime: this.attribution('regime'),
        exit: this.attribution('exit'),
      },
      perDay: this.perDay,
    };
  }
}

function quoteBook(snapshot: DecisionSnapshot): QuoteBook {
  return (symbol) => {
    const c = parseTradingsymbol(symbol);
    const e = c && snapshot.chain.expiries.find((x) => x.expiry === c.expiry);
    const q = c && e ? quoteAt(e, c.strike, c.type) : undefined;
    return q ? { bid: q.bid, ask: q.ask, mid: q.mid } : undefined;
  };
}

function simLegs(instrument: Instrument, lots: number, size: number, legs: readonly StructureLeg[]): SimLeg[] {
  return legs.map((l) => ({
    tradingsymbol: formatTradingsymbol({ instrument, expiry: l.expiry, strike: l.strike, type: l.type }),
    side: l.side,
    quantity: lots * size * l.ratio,
    quote: { bid: l.bid, ask: l.ask, mid: l.mid },
  }));
}

const nearest = (legs: readonly StructureLeg[]) => legs.map((l) => l.expiry).reduce((a, b) => (b < a ? b : a));

export async function runBacktest(models: ModelSource, o: BacktestOptions): Promise<BacktestResult> {
  const [stack, agents, slippage, selector] = await Promise.all([
    models.get('signal_stack'),
    models.get('strategy_agents'),
    models.get('slippage_coefficients'),
    models.get('strike_selector'),
  ]);
  if (!stack || !agents)
    throw new UsageError(
      `no ${!stack ? 'signal_stack' : 'strategy_agents'} model in production: ` +
        `qs models retrain --type ${!stack ? 'signal_stack' : 'strategy_agents'} --wait`,
    );
  const decisionModels: DecisionModels = {
    signalStack: { ref: ref(stack), state: stack.state },
    agents: { ref: ref(agents), state: agents.agents },
    slippage: slippage ? { ref: ref(slippage), model: slippage.asSlippageModel() } : null,
  };
  const dates = tradingWindow(o.to, 10_000).filter((d) => d >= o.from);
  const history = tradingWindow(o.from, SNAPSHOT_HISTORY_DAYS + 1)[0]!;
  const limits: TenantLimitsRow = {
    maxLotsPerOrder: DEFAULT_TENANT_LIMITS.maxLotsPerOrder,
    maxLotsPerDay: DEFAULT_TENANT_LIMITS.maxLotsPerDay,
    maxOpenLots: DEFAULT_MAX_OPEN_LOTS,
    maxDailyLoss: o.maxDailyLoss ?? DEFAULT_TENANT_LIMITS.maxDailyLoss,
  };
  const engine = new Policy();
  const baseline = new Policy();
  for (const seed of o.seeds) {
    const run: MarketDay[] = simulateDays({
      instrument: o.instrument,
      fromDate: history,
      days: SNAPSHOT_HISTORY_DAYS + dates.length,
      seed,
    });
    const pick = new Rng(`backtest-baseline|${seed}`);
    for (let k = SNAPSHOT_HISTORY_DAYS; k < run.length; k++) {
      const day = run[k]!;
      const date = day.date;
      const size = lotSize(o.instrument, date);
      const source = createSource(day);
      const prior = run.slice(k - SNAPSHOT_HISTORY_DAYS, k);
      const snap = (minute: number) => buildDecisionSnapshot(source, tickInstant(date, minute), { days: prior });
      const mine = new SimBook(o.instrument, date, size);
      const theirs = new SimBook(o.instrument, date, size);
      for (
        let m: number | null = firstTickMinute(o.cadenceMinutes);
        m !== null;
        m = nextTickMinute(m, o.cadenceMinutes)
      ) {
        const snapshot = snap(m);
        const quotes = quoteBook(snapshot);
        for (const b of [mine, theirs]) {
          b.applyExits(m, quotes);
          b.guardDailyLoss(quotes, limits.maxDailyLoss);
        }
        const decisionId = `bt-${seed}-${date}-${m}`;
        const strikes = await strikeChoice(snapshot, selector);
        const d = decide({
          decisionId,
          snapshot,
          models: decisionModels,
          tenant: riskView(engine, mine, snapshot, limits),
          strikes,
        });
        const key = refusalKey(d);
        if (key) engine.refusals = countInto(engine.refusals, key);
        if (d.status === 'trade' && d.structure && !mine.reducing) {
          engine.regimes.set(decisionId, d.regime.regime);
          baseline.regimes.set(decisionId, d.regime.regime);
          const legs = simLegs(o.instrument, d.lots, size, d.legs);
          mine.enter({
            decisionId,
            structure: d.structure,
            lots: d.lots,
            minute: m,
            nearestExpiry: nearest(d.legs),
            legs,
          });
          if (!theirs.reducing) {
            // The baseline: a random structure that builds on this chain with the engine's strike rule, sized
            // by the same rule on its own book and put through the same castle with its own state.
            const entry = baselineEntry({
              pick,
              snapshot,
              strikes,
              tenant: riskView(baseline, theirs, snapshot, limits),
              regime: d.regime.regime,
              slippage: decisionModels.slippage?.model,
            });
            if (entry?.refused) baseline.refusals = countInto(baseline.refusals, entry.refused);
            else if (entry)
              theirs.enter({
                decisionId,
                structure: entry.structure.kind,
                lots: entry.lots,
                minute: m,
                nearestExpiry: entry.structure.nearestExpiry,
                legs: simLegs(o.instrument, entry.lots, size, entry.structure.legs),
              });
          }
        }
        mine.mark(quotes);
        theirs.mark(quotes);
      }
      const close = quoteBook(snap(SQUARE_OFF_MINUTE));
      for (const b of [mine, theirs]) {
        b.closeAll(close);
        b.mark(close);
      }
      engine.add(mine, seed);
      baseline.add(theirs, seed);
    }
  }
  return { options: o, models: modelsOf(decisionModels), engine: engine.totals(), baseline: baseline.totals() };
}

const modelsOf = (m: DecisionModels): ModelRef[] => [
  m.signalStack.ref,
  m.agents.ref,
  ...(m.slippage ? [m.slippage.ref] : []),
];

/**
 * The baseline policy's entry: a seeded random structure among those that build on the chain
 * (with the engine's strike rule), sized by the same rule on the baseline's own book, and through
 * the same gate (seven walls, open-lots cap) with its round-trip costs. `refused` names the wall
 * (or reason) that stopped it; null when no structure builds.
 */
export function baselineEntry(i: {
  readonly pick: Rng;
  readonly snapshot: DecisionSnapshot;
  readonly strikes: StrikeChoice;
  readonly tenant: TenantRiskView;
  readonly regime: Regime;
  readonly slippage?: SlippageModel;
}): { structure: Structure; lots: number; refused: string | null } | null {
  const start = i.pick.int(0, STRUCTURE_KINDS.length - 1);
  for (let k = 0; k < STRUCTURE_KINDS.length; k++) {
    const kind = STRUCTURE_KINDS[(start + k) % STRUCTURE_KINDS.length]!;
    const built = buildStructure(i.snapshot.chain, structureParams(kind, i.strikes));
    if (!built.ok) continue;
    const structure = built.structure;
    const { tenant } = i;
    const lots = sizeStructure(structure, tenant.limits, tenant.portfolio, tenant.exposure).lots;
    const costs = computeCosts(roundTripLegs(structure, lots), { slippageModel: i.slippage });
    const gate = gateStructure(structure, lots, tenant, i.snapshot, i.regime, costs.total);
    return { structure, lots, refused: refusalKey({ status: gate.reasons.length ? 'refused' : 'trade', ...gate }) };
  }
  return null;
}

/**
 * What the castle sees of a policy's book at a tick, as decide's activity builds it for a tenant:
 * cash = the paper capital + the policy's equity from earlier days + today's realised net + the
 * premium of what is open; positions priced on the snapshot.
 */
function riskView(policy: Policy, book: SimBook, snapshot: DecisionSnapshot, limits: TenantLimitsRow): TenantRiskView {
  const premium = book.open.reduce((s, x) => s.plus(premiumOf(x.legs)), dec(0));
  const cash = dec(PAPER_DEFAULT_CAPITAL).plus(policy.equity).plus(book.net()).plus(premium);
  return tenantRiskView(
    {
      status: 'active',
      reconciliationClean: true,
      killSwitches: [],
      cash: rupees(cash),
      positions: book.positions(),
      realisedToday: rupees(book.net()),
      lotsToday: book.lotsToday,
    },
    snapshot,
    limits,
  );
}

/** + credit received, − debit paid, at the entry prices. */
function premiumOf(legs: readonly { side: 'BUY' | 'SELL'; quantity: number; price: string }[]): Decimal {
  return legs.reduce((s, l) => s.plus(dec(l.price).times(l.side === 'SELL' ? l.quantity : -l.quantity)), dec(0));
}

function table(r: BacktestResult): string {
  const rows: Array<[string, (t: PolicyTotals) => string]> = [
    ['days', (t) => String(t.days)],
    ['trades', (t) => String(t.trades)],
    ['net P&L after costs', (t) => t.pnl],
    ['costs', (t) => t.costs],
    ['max drawdown', (t) => t.maxDrawdown],
    ['worst day', (t) => t.worstDay],
    ['win rate', (t) => (t.winRate === null ? '-' : `${(t.winRate * 100).toFixed(1)}%`)],
    ['average winner', (t) => t.averageWinner ?? '-'],
    ['average loser', (t) => t.averageLoser ?? '-'],
    [
      'exits',
      (t) =>
        Object.entries(t.exits)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '-',
    ],
    [
      'refusals',
      (t) =>
        Object.entries(t.refusals)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || '-',
    ],
  ];
  const o = r.options;
  // Attribution: one row per structure, regime at entry and exit, "trades / net after costs".
  for (const kind of ['structure', 'regime', 'exit'] as const) {
    const keys = [...new Set([r.engine, r.baseline].flatMap((t) => Object.keys(t.attribution[kind])))].sort();
    for (const key of keys)
      rows.push([
        `${kind} ${key.toLowerCase()}`.slice(0, 21),
        (t) => {
          const a = t.attribution[kind][key];
          return a ? `${a.trades} / ${a.net}` : '-';
        },
      ]);
  }
  return [
    `backtest ${o.instrument} ${o.from}..${o.to}, seeds ${o.seeds.join(',')}, cadence ${o.cadenceMinutes} min, ` +
      `daily loss limit ${o.maxDailyLoss ?? DEFAULT_TENANT_LIMITS.maxDailyLoss}`,
    `models ${r.models.map((m) => `${m.typeId} v${m.version}`).join(', ')}` +
      (o.trainThrough ? ` (trained in this process on data through ${o.trainThrough})` : ''),
    `${''.padEnd(22)}${'engine'.padStart(18)}${'baseline'.padStart(18)}`,
    ...rows.map(([name, f]) => `${name.padEnd(22)}${f(r.engine).padStart(18)}${f(r.baseline).padStart(18)}`),
  ].join('\n');
}

const parseInstrument = parseChoice('--instrument', INSTRUMENTS, { normalise: (s) => s.trim().toUpperCase() });
const parseCadence = parsePositiveInt('--cadence', { max: 60 });

function parseSeeds(raw: string): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.length > 20 || parts.some((p) => !/^\d{1,9}$/.test(p)))
    throw new UsageError(`--seeds: expected 1 to 20 comma-separated whole numbers, got ${JSON.stringify(raw)}`);
  return parts.map(Number);
}

export function parseBacktest(opts: {
  from: string;
  to: string;
  instrument: string;
  seeds: string;
  cadence: string;
  trainThrough?: string;
  maxDailyLoss?: string;
}): BacktestOptions {
  const from = parseDate('--from')(opts.from);
  const to = parseDate('--to')(opts.to);
  if (to < from) throw new UsageError(`--to: ${to} is before --from ${from}`);
  const trainThrough = opts.trainThrough === undefined ? undefined : parseDate('--train-through')(opts.trainThrough);
  if (trainThrough !== undefined && trainThrough >= from)
    throw new UsageError(`--train-through: ${trainThrough} is not before --from ${from} (the window must be unseen)`);
  const days = tradingWindow(to, 10_000).filter((d) => d >= from).length;
  if (days === 0) throw new UsageError(`--from/--to: no NSE trading day in ${from}..${to}`);
  if (days > 250) throw new UsageError(`--from/--to: ${days} trading days; at most 250 at a time`);
  return {
    from,
    to,
    instrument: parseInstrument(opts.instrument),
    seeds: parseSeeds(opts.seeds),
    cadenceMinutes: parseCadence(opts.cadence),
    ...(trainThrough ? { trainThrough } : {}),
    ...(opts.maxDailyLoss !== undefined ? { maxDailyLoss: parseRupees(opts.maxDailyLoss) } : {}),
  };
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description('the day’s decide + exit rules over simulated days, against a random-structure baseline')
    .requiredOption('--from <date>', 'first date (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last date (YYYY-MM-DD)')
    .option('--instrument <name>', 'NIFTY or BANKNIFTY', 'NIFTY')
    .option('--seeds <list>', 'simulator seeds, comma-separated', '1,2,3')
    .option('--cadence <minutes>', 'minutes of market time between decisions', '15')
    .option('--train-through <date>', 'train the decision models in process on data ending here (before --from)')
    .option('--max-daily-loss <rupees>', 'the daily loss limit both books are held to (default: the platform’s)')
    .option('--json', 'machine-readable output')
    .action(
      async (opts: {
        from: string;
        to: string;
        instrument: string;
        seeds: string;
        cadence: string;
        trainThrough?: string;
        maxDailyLoss?: string;
        json?: boolean;
      }) => {
        const o = parseBacktest(opts);
        const r = o.trainThrough
          ? await runBacktest(await trainedModelSource(o.trainThrough), o)
          : await withAppPool(async (pool) => {
              await assertOutOfSample(pool, o.from);
              return runBacktest(registryModelSource(pool), o);
            });
        print(!!opts.json, r, () => table(r));
      },
    );
}
