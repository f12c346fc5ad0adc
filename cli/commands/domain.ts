/**
 * Domain commands: `qs costs`, `qs price`, `qs chain`, `qs sim`. Thin shells over domain/:
 * parse and validate input (naming the bad field), call the pure functions, print.
 */
import fs from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../usage-error';
import {
  coverageText,
  isCoveredDate,
  parseChoice,
  parseDate,
  parseDecimal,
  parseNonNegativeInt,
  parsePositiveInt,
} from '../flags';
import {
  INSTRUMENTS,
  REGIMES,
  buildChain,
  black76,
  computeCosts,
  evaluateNetEv,
  epochMsToIst,
  impliedVol,
  isIsoDate,
  isTradingDay,
  istParts,
  listExpiries,
  marketDayToCsv,
  nextTradingDay,
  simulateDay,
  snapshotAt,
  timestampToEpochMs,
  type Instrument,
  type OptionChain,
  type Regime,
} from '../../domain';

// ---------- shared parsing helpers ----------

/** 'legs[0].side' from zod's ['legs', 0, 'side']. */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(input)';
}

/** Bounds of `qs price` inputs: far beyond any index level, tenor or volatility that means something. */
const MAX_LEVEL = 10_000_000;
const MAX_YEARS = 50;
const MAX_VOL = 10;

const parseInstrument = parseChoice('--instrument', INSTRUMENTS, { normalise: (s) => s.trim().toUpperCase() });
const instrumentFlag = (raw: string | undefined): Instrument => parseInstrument(raw ?? 'NIFTY');
const seedFlag = (raw: string | undefined): number => parseNonNegativeInt('--seed')(raw ?? '1');
const parseRegime = parseChoice('--regime', REGIMES);
const regimeFlag = (raw: string | undefined): Regime | undefined => (raw === undefined ? undefined : parseRegime(raw));
const dateFlag = (raw: string | undefined, flag = '--date'): string | undefined =>
  raw === undefined ? undefined : parseDate(flag)(raw);

/** Today in IST, or the next trading day when today does not trade (CLI only: domain never reads clocks). */
function defaultTradingDate(): string {
  const today = istParts(Date.now()).date;
  return isTradingDay(today) ? today : nextTradingDay(today);
}

function tradingDateFlag(raw: string | undefined): string {
  const d = dateFlag(raw) ?? defaultTradingDate();
  if (!isCoveredDate(d))
    throw new UsageError(`--date: today's trading day ${d} is outside the data (${coverageText()})`);
  if (!isTradingDay(d)) throw new UsageError(`--date: ${d} is not an NSE trading day`);
  return d;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('expected legs as JSON on stdin, e.g. qs costs < legs.json');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function domainError<T>(fn: () => T, flag?: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(flag ? `--${flag}: ${e.message}` : e.message);
    throw e;
  }
}

// ---------- qs costs ----------

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, { error: 'expected a non-negative decimal such as "101.50"' });
const amount = z.union([z.number().nonnegative({ error: 'expected a non-negative number' }), decimalString], {
  error: 'expected a non-negative number or decimal string',
});
const legSchema = z
  .object(
    {
      instrument: z.enum(INSTRUMENTS, { error: `expected ${INSTRUMENTS.join(' or ')}` }),
      kind: z.enum(['option', 'future'], { error: 'expected option or future' }).default('option'),
      side: z.enum(['BUY', 'SELL'], { error: 'expected BUY or SELL' }),
      lots: z
        .number({ error: 'expected a positive integer' })
        .int({ error: 'expected a positive integer' })
        .positive({ error: 'expected a positive integer' }),
      price: amount,
      date: z
        .string({ error: 'expected a date YYYY-MM-DD' })
        .refine(isIsoDate, { error: 'expected a date YYYY-MM-DD' })
        // Costed only where the rate table and the calendar say something about the date.
        .refine(isCoveredDate, { error: () => `outside the data (${coverageText()})` }),
      exercise: z.boolean({ error: 'expected true or false' }).optional(),
      orders: z.number().int().positive({ error: 'expected a positive integer' }).optional(),
      spread: amount.optional(),
      volume: z.number().int().positive({ error: 'expected a positive integer' }).optional(),
    },
    { error: (iss) => (iss.code === 'invalid_type' ? 'expected an object' : undefined) },
  )
  .strict();
const legsSchema = z
  .array(legSchema, { error: 'expected an array of legs' })
  .min(1, { error: 'expected at least one leg' });
const costsInput = z.union([
  legsSchema,
  z
    .object({
      legs: legsSchema,
      expectedPnl: z
        .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, { error: 'expected a decimal such as "450.00"' })], {
          error: 'expected a number or decimal string such as "450.00"',
        })
        .optional(),
    })
    .strict(),
]);

export function parseCostsInput(text: string): { legs: z.infer<typeof legsSchema>; expectedPnl?: number | string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`stdin is not valid JSON: ${(e as Error).message}`);
  }
  // Validate the array form directly so paths read legs[0].side rather than a union summary.
  const isArray = Array.isArray(json);
  const r = isArray ? legsSchema.safeParse(json) : costsInput.safeParse(json);
  if (!r.success) {
    const issue = pickIssue(r.error.issues);
    const path = isArray ? ['legs', ...issue.path] : issue.path;
    throw new UsageError(`${fieldPath(path)}: ${issue.message}`);
  }
  return Array.isArray(r.data)
    ? { legs: r.data }
    : (r.data as { legs: z.infer<typeof legsSchema>; expectedPnl?: number | string });
}

/** The most specific issue (unions report nested errors inside `errors`). */
function pickIssue(issues: readonly z.core.$ZodIssue[]): { path: PropertyKey[]; message: string } {
  const first = issues[0]!;
  if (first.code === 'invalid_union' && first.errors.length > 0 && first.path.length === 0) {
    const nested = first.errors.flat();
    if (nested.length > 0) {
      const deepest = nested.reduce((a, b) => (b.path.length > a.path.length ? b : a));
      return { path: [...first.path, ...deepest.path], message: deepest.message };
    }
  }
  if (first.code === 'unrecognized_keys') return { path: [...first.path, first.keys[0]!], message: 'unknown field' };
  return { path: [...first.path], message: first.message };
}

// ---------- qs chain ----------

function chainJson(chain: OptionChain) {
  const p = (x: number) => x.toFixed(2);
  const r = (x: number, d: number) => Number(x.toFixed(d));
  return {
    instrument: chain.instrument,
    timestamp: chain.timestamp,
    spot: p(chain.spot),
    regime: chain.regime,
    stress: chain.stress,
    lotSize: chain.lotSize,
    expiries: chain.expiries.map((e) => ({
      expiry: e.expiry,
      years: r(e.years, 6),
      forward: p(e.forward),
      atmStrike: e.atmStrike,
      atmVol: r(e.atmVol, 4),
      quotes: e.quotes.map((q) => ({
        strike: q.strike,
        type: q.type,
        bid: p(q.bid),
        ask: p(q.ask),
        mid: p(q.mid),
        bidQty: q.bidQty,
        askQty: q.askQty,
        iv: r(q.iv, 4),
        delta: r(q.delta, 4),
        gamma: r(q.gamma, 8),
        vega: r(q.vega, 4),
        theta: r(q.theta, 4),
        volume: q.volume,
        oi: q.oi,
      })),
    })),
  };
}

function chainTable(chain: OptionChain, expiry: string): string {
  const e = chain.expiries.find((x) => x.expiry === expiry)!;
  const lines = [
    `${chain.instrument} ${chain.timestamp} spot ${chain.spot.toFixed(2)} regime ${chain.regime} | ` +
      `expiry ${e.expiry} forward ${e.forward.toFixed(2)} ATM vol ${(e.atmVol * 100).toFixed(2)}%`,
    [
      'CALL bid'.padStart(10),
      'ask'.padStart(9),
      'iv%'.padStart(6),
      'delta'.padStart(6),
      '|',
      'strike'.padStart(7),
      '|',
      'PUT bid'.padStart(9),
      'ask'.padStart(9),
      'iv%'.padStart(6),
      'delta'.padStart(6),
      'oi'.padStart(10),
    ].join(' '),
  ];
  const strikes = [...new Set(e.quotes.map((q) => q.strike))];
  for (const k of strikes) {
    const c = e.quotes.find((q) => q.strike === k && q.type === 'call')!;
    const pq = e.quotes.find((q) => q.strike === k && q.type === 'put')!;
    lines.push(
      [
        c.bid.toFixed(2).padStart(10),
        c.ask.toFixed(2).padStart(9),
        (c.iv * 100).toFixed(2).padStart(6),
        c.delta.toFixed(3).padStart(6),
        '|',
        String(k).padStart(7),
        '|',
        pq.bid.toFixed(2).padStart(9),
        pq.ask.toFixed(2).padStart(9),
        (pq.iv * 100).toFixed(2).padStart(6),
        pq.delta.toFixed(3).padStart(6),
        String(pq.oi).padStart(10),
      ].join(' '),
    );
  }
  return lines.join('\n');
}

// ---------- registration ----------

export function register(program: Command): void {
  program
    .command('costs')
    .description(
      'cost breakdown for legs given as JSON on stdin: ' +
        '[{"instrument","kind","side","lots","price","date"[,"exercise"]}] or {"legs":[…],"expectedPnl":…}',
    )
    .action(async () => {
      const input = parseCostsInput(await readStdin());
      const breakdown = domainError(() => computeCosts(input.legs));
      const out =
        input.expectedPnl === undefined
          ? breakdown
          : { ...breakdown, decision: evaluateNetEv(input.expectedPnl, breakdown.total) };
      console.log(JSON.stringify(out, null, 2));
    });

  program
    .command('price')
    .description('Black-76 price and greeks (or implied vol with --price instead of --vol)')
    .requiredOption('--type <call|put>', 'option type')
    .requiredOption('--forward <F>', 'forward (futures) price')
    .requiredOption('--strike <K>', 'strike')
    .requiredOption('--years <T>', 'time to expiry in years')
    .option('--rate <r>', 'risk-free rate, continuously compounded', '0.065')
    .option('--vol <sigma>', 'annualised volatility, e.g. 0.15')
    .option('--price <P>', 'option price: solve for implied volatility')
    .option('--json', 'print JSON')
    .action(
      (o: {
        type: string;
        forward: string;
        strike: string;
        years: string;
        rate: string;
        vol?: string;
        price?: string;
        json?: boolean;
      }) => {
        const base = {
          type: parseChoice('--type', ['call', 'put'] as const)(o.type),
          forward: parseDecimal('--forward', { above: 0, max: MAX_LEVEL })(o.forward),
          strike: parseDecimal('--strike', { above: 0, max: MAX_LEVEL })(o.strike),
          years: parseDecimal('--years', { min: 0, max: MAX_YEARS })(o.years),
          rate: parseDecimal('--rate', { min: -1, max: 1 })(o.rate),
        } as const;
        let vol: number;
        if (o.vol !== undefined) vol = parseDecimal('--vol', { min: 0, max: MAX_VOL })(o.vol);
        else if (o.price !== undefined) {
          const iv = impliedVol({ ...base, price: parseDecimal('--price', { above: 0, max: MAX_LEVEL })(o.price) });
          if (!iv.ok) throw new UsageError(`--price: no volatility fits (${iv.detail})`);
          vol = iv.vol;
        } else throw new UsageError('--vol: required (or give --price to solve for implied volatility)');
        const g = black76({ ...base, vol });
        const result = {
          ...base,
          vol,
          price: g.price,
          delta: g.delta,
          gamma: g.gamma,
          vega: g.vega,
          theta: g.theta,
          thetaPerDay: g.theta / 365,
        };
        if (o.json) console.log(JSON.stringify(result, null, 2));
        else {
          console.log(
            [
              `Black-76 ${base.type}: F=${base.forward} K=${base.strike} T=${base.years} r=${base.rate} σ=${vol}`,
              `price  ${g.price.toFixed(4)}`,
              `delta  ${g.delta.toFixed(6)}`,
              `gamma  ${g.gamma.toExponential(6)}`,
              `vega   ${g.vega.toFixed(4)} per 1.00 vol (${(g.vega / 100).toFixed(4)} per 1%)`,
              `theta  ${g.theta.toFixed(4)} per year (${(g.theta / 365).toFixed(4)} per day)`,
            ].join('\n'),
          );
        }
      },
    );

  program
    .command('chain')
    .description('a simulated option chain at a time of day')
    .option('--instrument <name>', 'NIFTY or BANKNIFTY', 'NIFTY')
    .option('--seed <n>', 'simulation seed', '1')
    .option('--date <YYYY-MM-DD>', 'trading date (default: today, or the next trading day)')
    .option('--at <time>', "'HH:MM' IST or an ISO timestamp", '09:15')
    .option('--regime <name>', 'force the regime: calm, trending or panic')
    .option('--expiry <YYYY-MM-DD>', 'expiry to show in the table (default: nearest)')
    .option('--expiries <n>', 'number of expiries to list')
    .option('--strikes <n>', 'strikes each side of the money')
    .option('--json', 'print the whole chain as JSON (prices as 2-decimal strings)')
    .action(
      (o: {
        instrument?: string;
        seed?: string;
        date?: string;
        at: string;
        regime?: string;
        expiry?: string;
        expiries?: string;
        strikes?: string;
        json?: boolean;
      }) => {
        const instrument = instrumentFlag(o.instrument);
        let date: string;
        let at: string | number = o.at;
        if (/^\d{1,2}:\d{2}$/.test(o.at)) date = tradingDateFlag(o.date);
        else {
          let ms: number;
          try {
            ms = timestampToEpochMs(o.at);
          } catch (e) {
            throw new UsageError(`--at: expected HH:MM or an ISO timestamp with offset (${(e as Error).message})`);
          }
          date = istParts(ms).date;
          at = epochMsToIst(ms);
          if (o.date !== undefined && o.date !== date)
            throw new UsageError(`--date: ${o.date} disagrees with --at ${o.at}`);
          if (!isCoveredDate(date)) throw new UsageError(`--at: ${date} is outside the data (${coverageText()})`);
          if (!isTradingDay(date)) throw new UsageError(`--at: ${date} is not an NSE trading day`);
        }
        const count = o.expiries === undefined ? undefined : parsePositiveInt('--expiries', { max: 12 })(o.expiries);
        const strikesEachSide =
          o.strikes === undefined ? undefined : parsePositiveInt('--strikes', { max: 200 })(o.strikes);
        const day = domainError(() =>
          simulateDay({ instrument, date, seed: seedFlag(o.seed), regime: regimeFlag(o.regime) }),
        );
        const snap = domainError(() => snapshotAt(day, at), 'at');
        const expiries = count === undefined ? undefined : listExpiries(instrument, date, count);
        const chain = domainError(() => buildChain(snap, { expiries, strikesEachSide }));
        if (o.json) {
          console.log(JSON.stringify(chainJson(chain), null, 2));
          return;
        }
        const expiry = dateFlag(o.expiry, '--expiry') ?? chain.expiries[0]!.expiry;
        if (!chain.expiries.some((e) => e.expiry === expiry)) {
          throw new UsageError(
            `--expiry: ${expiry} is not listed (listed: ${chain.expiries.map((e) => e.expiry).join(', ')})`,
          );
        }
        console.log(chainTable(chain, expiry));
      },
    );

  program
    .command('sim')
    .description('simulate one trading day of minute bars and write it as CSV (see domain/market/README.md)')
    .option('--instrument <name>', 'NIFTY or BANKNIFTY', 'NIFTY')
    .option('--seed <n>', 'simulation seed', '1')
    .option('--date <YYYY-MM-DD>', 'trading date (default: today, or the next trading day)')
    .option('--regime <name>', 'force the regime all day: calm, trending or panic')
    .option('--out <file>', 'write to a file instead of stdout')
    .action((o: { instrument?: string; seed?: string; date?: string; regime?: string; out?: string }) => {
      const day = domainError(() =>
        simulateDay({
          instrument: instrumentFlag(o.instrument),
          date: tradingDateFlag(o.date),
          seed: seedFlag(o.seed),
          regime: regimeFlag(o.regime),
        }),
      );
      const csv = marketDayToCsv(day);
      if (o.out) {
        try {
          fs.writeFileSync(o.out, csv);
        } catch (e) {
          throw new UsageError(`--out: cannot write ${o.out}: ${(e as Error).message}`);
        }
        console.error(`wrote ${day.bars.length} bars of ${day.instrument} ${day.date} to ${o.out}`);
      } else process.stdout.write(csv);
    });
}
