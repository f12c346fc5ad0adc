/**
 * The behaviour engine: one persona, one simulated trading day. Pure and seeded: the day's
 * draws come from a generator keyed by (seed, persona, date), so a day gives the same trades
 * whether it is simulated alone, in a chunk, or in an unbroken run.
 *
 * A day: with the state at the open (psychology.ts) set the trade probability (declared ×
 * knob factor × expiry-day multiplier × state), then for each entry opportunity draw whether
 * to trade, pick one of the eight structures (weights, or at random with the persona's decision
 * randomness; spreads follow or fade the morning move per its directional bias), size it by
 * knob and equity (risk budget over the structure's max loss per lot, state multiplier,
 * log-normal noise), add futures per its futures behaviour (a delta hedge when its preference
 * and band say so, else maybe a naked position), fill on the simulated book, then mark it at
 * each later grid minute: stop, target, or close at 15:25. Every position is flat by the close.
 */
import { listExpiries } from '../calendar';
import type { OptionChain } from '../market/types';
import { Rng } from '../random';
import {
  buildStructure,
  STRUCTURE_KINDS,
  type Structure,
  type StructureKind,
  type StructureParams,
} from '../strategies';
import type { CompiledPersona } from './compile';
import { cashflowPaise, chargesPaise, fillFuture, fillOption, type LegFill, type Side } from './fills';
import type { MarketTape } from './market-tape';
import { bookDay, closeDay, type PersonaState } from './psychology';
import { CLOSE_MINUTE, GRID_MINUTES, HEDGE_BANDS, type GridMinute, type PsychState } from './types';

export type ExitReason = 'stop' | 'target' | 'close';

/** One synthetic trade: what the activity writes (with the run's ids) and what the hash covers. */
export interface PersonaTrade {
  readonly personaId: string;
  readonly seq: number;
  readonly date: string;
  readonly archetype: string;
  readonly biasType: string;
  readonly psychState: PsychState;
  readonly knob: number;
  readonly structure: StructureKind;
  readonly instrument: string;
  readonly lots: number;
  readonly hedged: boolean;
  readonly futuresLots: number;
  readonly entryMinute: number;
  readonly exitMinute: number;
  readonly exitReason: ExitReason;
  readonly entry: readonly LegFill[];
  readonly exit: readonly LegFill[];
  readonly grossPnlPaise: number;
  readonly chargesPaise: number;
  readonly netPnlPaise: number;
}

export interface PersonaDay {
  readonly state: PersonaState;
  readonly trades: readonly PersonaTrade[];
  /** The state that governed the day (its open). */
  readonly openState: PsychState;
  /** The nearest weekly expired that day. */
  readonly expiryDay: boolean;
  /** The persona was already bust at the open (it did nothing). */
  readonly openBust: boolean;
  /** The index's move since the open (percent) when each trade was entered, by trade. */
  readonly entryMovesPct: readonly number[];
}

const knobFactor = (knob: number) => 0.5 + knob / 100;
const clamp01 = (x: number) => Math.min(0.98, Math.max(0, x));

/** Standard normal from two uniforms (no cached variate: the stream stays a pure function of its draws). */
function gauss(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function pickStructure(persona: CompiledPersona, rng: Rng, morningMovePct: number): StructureKind {
  const t = persona.spec.trading;
  const noise = rng.next();
  const u = rng.next();
  let kind: StructureKind;
  if (noise < persona.spec.stochastic_noise.decision_randomness) {
    kind = STRUCTURE_KINDS[Math.floor(u * STRUCTURE_KINDS.length)]!;
  } else {
    const entries = STRUCTURE_KINDS.map((k) => [k, t.structures[k] ?? 0] as const).filter(([, w]) => w > 0);
    const total = entries.reduce((a, [, w]) => a + w, 0);
    let x = u * total;
    kind = entries[entries.length - 1]![0];
    for (const [k, w] of entries) {
      if (x < w) {
        kind = k;
        break;
      }
      x -= w;
    }
  }
  if ((kind === 'BULL_PUT_SPREAD' || kind === 'BEAR_CALL_SPREAD') && t.directional_bias !== 'none') {
    const up = morningMovePct >= 0;
    const withMove = t.directional_bias === 'trend';
    kind = up === withMove ? 'BULL_PUT_SPREAD' : 'BEAR_CALL_SPREAD';
  }
  return kind;
}

function structureParams(persona: CompiledPersona, kind: StructureKind, sameDay: boolean): StructureParams {
  const minDaysToExpiry = sameDay ? 0 : 1;
  const shortDelta = persona.spec.trading.short_delta;
  switch (kind) {
    case 'BULL_PUT_SPREAD':
    case 'BEAR_CALL_SPREAD':
    case 'IRON_CONDOR':
      return { kind, minDaysToExpiry, ...(shortDelta !== undefined ? { shortDelta } : {}) };
    default:
      return { kind, minDaysToExpiry };
  }
}

const opposite = (s: Side): Side => (s === 'BUY' ? 'SELL' : 'BUY');

function quoteFor(chain: OptionChain, expiry: string, strike: number, type: 'call' | 'put') {
  const e = chain.expiries.find((x) => x.expiry === expiry);
  const q = e?.quotes.find((x) => x.strike === strike && x.type === type);
  if (q || !e) return q;
  // Off the listed strikes after a large move: deep in or out of the money, worth its intrinsic
  // value on the forward (at least a tick), quoted a tick wide.
  const intrinsic = Math.max(
    0.05,
    Math.round(Math.max(0, type === 'call' ? e.forward - strike : strike - e.forward) * 20) / 20,
  );
  return {
    strike,
    type,
    bid: Number((intrinsic - 0.05).toFixed(2)),
    ask: Number((intrinsic + 0.05).toFixed(2)),
    mid: intrinsic,
    bidQty: chain.lotSize * 10,
    askQty: chain.lotSize * 10,
    iv: 0,
    delta: 0,
    gamma: 0,
    vega: 0,
    theta: 0,
    volume: 0,
    oi: 0,
  };
}

/** Mid value of closing the option legs (what it would cost to buy back shorts / get for longs), paise. */
function markPaise(chain: OptionChain, entry: readonly LegFill[]): number {
  let v = 0;
  for (const f of entry) {
    if (f.kind === 'future') {
      const fwd = Math.round(chain.expiries[0]!.forward * 20) / 20;
      v += (f.side === 'BUY' ? 1 : -1) * Math.round(fwd * 100) * f.quantity;
      continue;
    }
    const q = quoteFor(chain, f.expiry!, f.strike!, f.type!)!;
    v += (f.side === 'BUY' ? 1 : -1) * Math.round(q.mid * 100) * f.quantity;
  }
  return v;
}

function closeFills(chain: OptionChain, entry: readonly LegFill[]): LegFill[] {
  return entry.map((f) => {
    if (f.kind === 'future')
      return fillFuture(chain.expiries[0]!.forward, opposite(f.side), f.lots, f.quantity / f.lots, chain.stress);
    const q = quoteFor(chain, f.expiry!, f.strike!, f.type!)!;
    const lotSize = f.quantity / f.lots;
    // Nobody bids for a long we must sell: it goes for the minimum tick.
    return (
      fillOption(q, f.expiry!, opposite(f.side), f.lots, lotSize, chain.stress) ??
      fillOption({ ...q, bid: 0.05, bidQty: f.quantity }, f.expiry!, opposite(f.side), f.lots, lotSize, chain.stress)!
    );
  });
}

interface Opened {
  readonly structure: Structure;
  readonly lots: number;
  readonly entry: readonly LegFill[];
  readonly hedged: boolean;
  readonly futuresLots: number;
}

function open(
  persona: CompiledPersona,
  s: PersonaState,
  chain: OptionChain,
  rng: Rng,
  kind: StructureKind,
  sameDay: boolean,
  morningMovePct: number,
): Opened | undefined {
  const spec = persona.spec;
  const built = buildStructure(chain, structureParams(persona, kind, sameDay));
  if (!built.ok) return undefined;
  const structure = built.structure;
  const { tilt, fatigue } = spec.psychology;
  const stateSize = s.psych === 'tilted' ? tilt.size_multiplier : s.psych === 'fatigued' ? fatigue.size_multiplier : 1;
  const sizeNoise = spec.stochastic_noise.size_noise ?? spec.stochastic_noise.decision_randomness;
  const noise = Math.exp(sizeNoise * 0.5 * gauss(rng));
  const budget = (s.equityPaise * spec.trading.risk_per_trade_pct * s.knob * stateSize * noise) / 10_000;
  const perLot = Math.round(Number(structure.maxLossPerUnit) * 100) * structure.lotSize;
  if (perLot <= 0) return undefined;
  const lots = Math.min(spec.trading.max_lots, Math.floor(budget / perLot));
  if (lots < 1) return undefined;

  // Futures: a delta hedge when the preference and band call for it, else maybe a naked position.
  const fb = spec.futures_behavior;
  const futuresDraw = rng.next();
  let futures: { side: Side; lots: number } | undefined;
  let hedged = false;
  if (fb.enabled && futuresDraw < clamp01(fb.baseline_appetite * knobFactor(s.knob))) {
    const delta = structure.greeks.delta;
    const breached = Math.abs(delta) > HEDGE_BANDS[fb.hedge_trigger_band];
    const hedge = fb.hedge_preference === 'always' || (fb.hedge_preference === 'on_band_breach' && breached);
    // 'always' hedges any delta, rounding up to whole futures lots; a band breach to the nearest lot.
    const exact = Math.abs(delta) * lots * fb.size_haircut_hedged;
    const rounded = fb.hedge_preference === 'always' ? Math.ceil(exact - 1e-9) : Math.round(exact);
    const hedgeLots = Math.min(fb.max_overnight_lots, rounded);
    if (hedge && hedgeLots >= 1) {
      futures = { side: delta > 0 ? 'SELL' : 'BUY', lots: hedgeLots };
      hedged = true;
    } else {
      const nakedLots = Math.min(
        fb.max_overnight_lots,
        Math.round((fb.max_overnight_lots * s.knob * fb.size_haircut_naked) / 100),
      );
      const view = spec.trading.directional_bias === 'contrarian' ? -morningMovePct : morningMovePct;
      if (nakedLots >= 1) futures = { side: view >= 0 ? 'BUY' : 'SELL', lots: nakedLots };
    }
  }

  const entry: LegFill[] = [];
  for (const leg of structure.legs) {
    const q = quoteFor(chain, leg.expiry, leg.strike, leg.type)!;
    const f = fillOption(q, leg.expiry, leg.side, lots * leg.ratio, structure.lotSize, chain.stress);
    if (!f) return undefined;
    entry.push(f);
  }
  if (futures)
    entry.push(fillFuture(chain.expiries[0]!.forward, futures.side, futures.lots, structure.lotSize, chain.stress));
  return { structure, lots, entry, hedged, futuresLots: futures?.lots ?? 0 };
}

/** Marks an open position at each later grid minute; closes on a stop, a target or at 15:25. */
function hold(
  persona: CompiledPersona,
  s: PersonaState,
  tape: MarketTape,
  dayIndex: number,
  entryMinute: GridMinute,
  o: Opened,
): { exitMinute: GridMinute; reason: ExitReason; exit: LegFill[] } {
  const t = persona.spec.trading;
  const ignoreStops = s.psych === 'tilted' && persona.spec.psychology.tilt.ignore_stops;
  const q = o.lots * o.structure.lotSize;
  const maxLoss = Math.round(Number(o.structure.maxLossPerUnit) * 100) * q;
  const maxProfitUnit = o.structure.maxProfitPerUnit ?? String(Math.abs(Number(o.structure.netPremium)));
  const maxProfit = Math.round(Number(maxProfitUnit) * 100) * q;
  const entryCash = cashflowPaise(o.entry);
  for (const minute of GRID_MINUTES) {
    if (minute <= entryMinute) continue;
    const chain = tape.chain(dayIndex, minute);
    if (minute === CLOSE_MINUTE) return { exitMinute: minute, reason: 'close', exit: closeFills(chain, o.entry) };
    const open = entryCash + markPaise(chain, o.entry);
    if (!ignoreStops && t.stop_loss_pct !== null && -open >= (maxLoss * t.stop_loss_pct) / 100)
      return { exitMinute: minute, reason: 'stop', exit: closeFills(chain, o.entry) };
    if (t.take_profit_pct !== null && maxProfit > 0 && open >= (maxProfit * t.take_profit_pct) / 100)
      return { exitMinute: minute, reason: 'target', exit: closeFills(chain, o.entry) };
  }
  throw new Error('unreachable: the grid ends at the close');
}

/** The day's entry minutes: the declared ones, then later grid minutes if more trades are allowed. */
function entryMinutes(persona: CompiledPersona, rng: Rng, count: number): GridMinute[] {
  const declared = [...persona.spec.trading.entry_minutes];
  const later = GRID_MINUTES.filter((m) => m !== CLOSE_MINUTE && !declared.includes(m) && m > Math.max(...declared));
  const out = [...declared, ...later].slice(0, count);
  // Noise: now and then an entry comes at a random time instead.
  return out.map((m) =>
    rng.next() < persona.spec.stochastic_noise.decision_randomness / 2
      ? GRID_MINUTES[Math.floor(rng.next() * (GRID_MINUTES.length - 1))]!
      : m,
  );
}

export function simulatePersonaDay(
  persona: CompiledPersona,
  state: PersonaState,
  tape: MarketTape,
  dayIndex: number,
): PersonaDay {
  const spec = persona.spec;
  const day = tape.days[dayIndex]!;
  const rng = new Rng(`${tape.options.seed}|${spec.persona_id}|${day.date}`);
  const openBar = day.bars[0]!;
  const lastBar = day.bars[day.bars.length - 1]!;
  const market = { movePct: (100 * (lastBar.close - openBar.open)) / openBar.open, atmIv: 100 * lastBar.atmVol };
  const isExpiry = listExpiries(day.instrument, day.date, 1)[0] === day.date;
  const { tilt, fatigue } = spec.psychology;
  const trades: PersonaTrade[] = [];
  const entryMovesPct: number[] = [];

  if (!state.bust) {
    const stateFreq =
      state.psych === 'tilted'
        ? tilt.frequency_multiplier
        : state.psych === 'fatigued'
          ? fatigue.activity_multiplier
          : 1;
    let p =
      spec.trading.daily_trade_probability *
      knobFactor(state.knob) *
      (isExpiry ? spec.trading.expiry_day_multiplier : 1) *
      stateFreq;
    if (rng.next() < spec.stochastic_noise.decision_randomness) p = rng.next();
    p = clamp01(p);
    let maxTrades = spec.trading.max_trades_per_day + (state.psych === 'tilted' ? tilt.extra_trades : 0);
    if (state.psych === 'fatigued') maxTrades = Math.max(1, Math.round(maxTrades * fatigue.activity_multiplier));
    const minutes = entryMinutes(persona, rng, maxTrades);
    for (const minute of minutes) {
      if (rng.next() >= p) break;
      const chain = tape.chain(dayIndex, minute);
      const morningMovePct = (100 * (chain.spot - openBar.open)) / openBar.open;
      const kind = pickStructure(persona, rng, morningMovePct);
      const sameDay = spec.trading.same_day_expiry && isExpiry;
      const o = open(persona, state, chain, rng, kind, sameDay, morningMovePct);
      if (!o) continue;
      const { exitMinute, reason, exit } = hold(persona, state, tape, dayIndex, minute, o);
      const gross = cashflowPaise(o.entry) + cashflowPaise(exit);
      const charges = chargesPaise(o.entry, day.instrument, day.date) + chargesPaise(exit, day.instrument, day.date);
      entryMovesPct.push(morningMovePct);
      trades.push({
        personaId: spec.persona_id,
        seq: state.seq + trades.length,
        date: day.date,
        archetype: spec.archetype,
        biasType: state.biasType,
        psychState: state.psych,
        knob: state.knob,
        structure: o.structure.kind,
        instrument: day.instrument,
        lots: o.lots,
        hedged: o.hedged,
        futuresLots: o.futuresLots,
        entryMinute: minute,
        exitMinute,
        exitReason: reason,
        entry: o.entry,
        exit,
        grossPnlPaise: gross,
        chargesPaise: charges,
        netPnlPaise: gross - charges,
      });
    }
  }
  const booked = bookDay(
    state,
    trades.map((t) => t.netPnlPaise),
    state.equityPaise,
  );
  return {
    state: closeDay(persona, booked, market, rng),
    trades,
    openState: state.psych,
    expiryDay: isExpiry,
    openBust: state.bust,
    entryMovesPct,
  };
}
