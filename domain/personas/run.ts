/**
 * Runs of days: a persona's progress (its state plus a tally of what it did) is plain JSON, so
 * a run can be cut into chunks anywhere (activities, continue-as-new) and gives exactly what an
 * unbroken run gives, trade for trade and hash for hash. `simulatePersonas` is the pure loop
 * over a whole fleet; `resultHash` is the run's fingerprint over every trade.
 */
import { paiseToRupees } from '../money';
import { canonicalJson, contentHash, fnv1a64 } from '../snapshot/content-hash';
import type { CompiledPersona } from './compile';
import { simulatePersonaDay, type PersonaDay, type PersonaTrade } from './engine';
import { createMarketTape, type MarketTape, type TapeOptions } from './market-tape';
import { initialState, type PersonaState } from './psychology';
import { PSYCH_STATES, type PsychState } from './types';

export interface StateTally {
  /** Days that opened in this state. */
  readonly days: number;
  readonly trades: number;
  /** Sum of option lots over those trades. */
  readonly lots: number;
  readonly pnlPaise: number;
}

export interface PersonaTally {
  readonly trades: number;
  readonly wins: number;
  readonly pnlPaise: number;
  readonly chargesPaise: number;
  readonly maxDrawdownPaise: number;
  /** Percent of the peak equity it fell from. */
  readonly maxDrawdownPct: number;
  readonly hedgedTrades: number;
  readonly futuresTrades: number;
  readonly expiryDayTrades: number;
  readonly stopExits: number;
  readonly targetExits: number;
  /** Credit spreads whose direction followed / faded the index's move since the open. */
  readonly followedMove: number;
  readonly fadedMove: number;
  /** Days that opened bust (not counted in byState). */
  readonly bustDays: number;
  readonly byState: Readonly<Record<PsychState, StateTally>>;
  readonly byStructure: Readonly<Record<string, number>>;
  /** Rolling FNV-1a 64 over the canonical JSON of every trade, in order. */
  readonly tradeHash: string;
}

export interface PersonaProgress {
  /** Days of the run already simulated. */
  readonly day: number;
  readonly state: PersonaState;
  readonly tally: PersonaTally;
}

const emptyState = (): StateTally => ({ days: 0, trades: 0, lots: 0, pnlPaise: 0 });

export function startProgress(persona: CompiledPersona): PersonaProgress {
  return {
    day: 0,
    state: initialState(persona),
    tally: {
      trades: 0,
      wins: 0,
      pnlPaise: 0,
      chargesPaise: 0,
      maxDrawdownPaise: 0,
      maxDrawdownPct: 0,
      hedgedTrades: 0,
      futuresTrades: 0,
      expiryDayTrades: 0,
      stopExits: 0,
      targetExits: 0,
      followedMove: 0,
      fadedMove: 0,
      bustDays: 0,
      byState: { rational: emptyState(), tilted: emptyState(), fatigued: emptyState() },
      byStructure: {},
      tradeHash: '0000000000000000',
    },
  };
}

/** The trade as hashed and stored: every field, canonical. */
export const tradeHashStep = (previous: string, trade: PersonaTrade) => fnv1a64(`${previous}|${canonicalJson(trade)}`);

function tallyDay(t: PersonaTally, state: PersonaState, d: PersonaDay): PersonaTally {
  if (d.openBust) return { ...t, bustDays: t.bustDays + 1 };
  const { trades, openState: open, expiryDay } = d;
  let hash = t.tradeHash;
  const byStructure = { ...t.byStructure };
  let { wins, pnlPaise, chargesPaise, hedgedTrades, futuresTrades, stopExits, targetExits, followedMove, fadedMove } =
    t;
  let lots = 0;
  let dayPnl = 0;
  for (const [i, tr] of trades.entries()) {
    hash = tradeHashStep(hash, tr);
    if (tr.structure === 'BULL_PUT_SPREAD' || tr.structure === 'BEAR_CALL_SPREAD') {
      if ((tr.structure === 'BULL_PUT_SPREAD') === d.entryMovesPct[i]! >= 0) followedMove++;
      else fadedMove++;
    }
    if (tr.exitReason === 'target') targetExits++;
    byStructure[tr.structure] = (byStructure[tr.structure] ?? 0) + 1;
    if (tr.netPnlPaise > 0) wins++;
    pnlPaise += tr.netPnlPaise;
    dayPnl += tr.netPnlPaise;
    chargesPaise += tr.chargesPaise;
    if (tr.hedged) hedgedTrades++;
    if (tr.futuresLots > 0) futuresTrades++;
    if (tr.exitReason === 'stop') stopExits++;
    lots += tr.lots;
  }
  const s = t.byState[open];
  const drawdown = state.peakEquityPaise - state.equityPaise;
  const byState = {
    ...t.byState,
    [open]: { days: s.days + 1, trades: s.trades + trades.length, lots: s.lots + lots, pnlPaise: s.pnlPaise + dayPnl },
  };
  return {
    trades: t.trades + trades.length,
    wins,
    pnlPaise,
    chargesPaise,
    maxDrawdownPaise: Math.max(t.maxDrawdownPaise, drawdown),
    maxDrawdownPct: Math.max(t.maxDrawdownPct, Math.round((10_000 * drawdown) / state.peakEquityPaise) / 100),
    hedgedTrades,
    futuresTrades,
    expiryDayTrades: t.expiryDayTrades + (expiryDay ? trades.length : 0),
    stopExits,
    targetExits,
    followedMove,
    fadedMove,
    bustDays: t.bustDays,
    byState,
    byStructure,
    tradeHash: hash,
  };
}

export interface ChunkResult {
  readonly progress: PersonaProgress;
  readonly trades: readonly PersonaTrade[];
}

/** Simulates `count` days from `progress.day` (fewer at the end of the tape). */
export function runPersonaDays(
  persona: CompiledPersona,
  progress: PersonaProgress,
  tape: MarketTape,
  count: number,
): ChunkResult {
  let { day, state, tally } = progress;
  const trades: PersonaTrade[] = [];
  const end = Math.min(tape.days.length, day + count);
  for (; day < end; day++) {
    const r = simulatePersonaDay(persona, state, tape, day);
    tally = tallyDay(tally, r.state, r);
    state = r.state;
    trades.push(...r.trades);
  }
  return { progress: { day, state, tally }, trades };
}

/** What a run reports per persona: its tally's counts plus money in rupees and where it ended. */
export interface PersonaSummary extends Omit<PersonaTally, 'wins' | 'pnlPaise' | 'chargesPaise' | 'maxDrawdownPaise'> {
  readonly personaId: string;
  readonly name: string;
  readonly archetype: string;
  readonly winRate: number;
  readonly pnl: string;
  readonly charges: string;
  readonly maxDrawdown: string;
  readonly finalKnob: number;
  readonly finalEquity: string;
  readonly bust: boolean;
  /** Days spent (opened) in each psychological state. */
  readonly stateDays: Readonly<Record<PsychState, number>>;
}

export function summarise(persona: CompiledPersona, p: PersonaProgress): PersonaSummary {
  const { wins, pnlPaise, chargesPaise, maxDrawdownPaise, ...counts } = p.tally;
  return {
    personaId: persona.spec.persona_id,
    name: persona.spec.name,
    archetype: persona.spec.archetype,
    ...counts,
    winRate: counts.trades ? Math.round((10_000 * wins) / counts.trades) / 100 : 0,
    pnl: paiseToRupees(pnlPaise),
    charges: paiseToRupees(chargesPaise),
    maxDrawdown: paiseToRupees(maxDrawdownPaise),
    finalKnob: p.state.knob,
    finalEquity: paiseToRupees(p.state.equityPaise),
    bust: p.state.bust,
    stateDays: Object.fromEntries(PSYCH_STATES.map((s) => [s, counts.byState[s].days])) as Record<PsychState, number>,
  };
}

/** The run's fingerprint: each persona's rolling trade hash, in persona order. */
export function resultHash(summaries: readonly Pick<PersonaSummary, 'personaId' | 'tradeHash'>[]): string {
  return contentHash(
    [...summaries].sort((a, b) => (a.personaId < b.personaId ? -1 : 1)).map((s) => [s.personaId, s.tradeHash]),
  );
}

export interface FleetRun {
  readonly summaries: readonly PersonaSummary[];
  readonly resultHash: string;
  readonly trades: number;
}

/**
 * The pure loop: every persona through every day of one tape, day by day (so the day's chains
 * are built once for the fleet). What the PersonaSimulation workflow must reproduce.
 */
export function simulatePersonas(
  personas: readonly CompiledPersona[],
  tapeOptions: TapeOptions,
  onTrades?: (trades: readonly PersonaTrade[]) => void,
  tape: MarketTape = createMarketTape(tapeOptions),
): FleetRun {
  let progress = personas.map(startProgress);
  for (let d = 0; d < tape.days.length; d++) {
    progress = progress.map((p, i) => {
      const r = runPersonaDays(personas[i]!, p, tape, 1);
      onTrades?.(r.trades);
      return r.progress;
    });
  }
  const summaries = personas.map((p, i) => summarise(p, progress[i]!));
  return { summaries, resultHash: resultHash(summaries), trades: summaries.reduce((a, s) => a + s.trades, 0) };
}
