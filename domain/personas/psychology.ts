/**
 * A persona's state between days, the variables its expressions read, and what happens at
 * each day's end: the psychological-state transition, then the knob's base rule, then its
 * triggers. All plain JSON (integer paise for money), so a workflow can carry it across
 * continue-as-new and a chunked run equals an unbroken one.
 *
 * Transition rules, evaluated once at the end of every trading day, first match wins:
 *  1. fatigued stays fatigued until it has rested `fatigue.rest_days` days, then is rational;
 *  2. otherwise, if `fatigue.enter` holds, it becomes fatigued with chance
 *     `fatigue.probability` (exhaustion overrides tilt);
 *  3. tilted returns to rational when `tilt.exit` holds or after `tilt.max_days` days;
 *  4. rational becomes tilted when `tilt.enter` holds, with chance `tilt.probability`.
 * A persona that has gone bust stays as it was. The state at a day's open governs that day's
 * behaviour (engine.ts): tilted multiplies size and trade frequency and may ignore stops;
 * fatigued cuts activity and size.
 */
import type { Rng } from '../random';
import type { CompiledPersona } from './compile';
import { applyAction, evaluateCondition, type Variables } from './expression';
import type { PsychState } from './types';

export interface DayRecord {
  readonly pnlPaise: number;
  readonly trades: number;
  readonly startEquityPaise: number;
}

export interface PersonaState {
  readonly knob: number;
  readonly psych: PsychState;
  /** Days spent in `psych` so far (0 on the day it was entered). */
  readonly daysInState: number;
  readonly equityPaise: number;
  readonly peakEquityPaise: number;
  readonly consecutiveWins: number;
  readonly consecutiveLosses: number;
  /** The last five days, oldest first. */
  readonly recentDays: readonly DayRecord[];
  /** Win (true) or loss of the last ten trades, oldest first. */
  readonly recentWins: readonly boolean[];
  /** The reason code of the last biased trigger that fired ('none' before any). */
  readonly biasType: string;
  /** Trades so far in the run: the next trade's sequence number. */
  readonly seq: number;
  /** Equity fell below a quarter of the starting capital: the persona stops trading. */
  readonly bust: boolean;
}

export function initialState(persona: CompiledPersona): PersonaState {
  const capital = Math.round(persona.spec.initial_state.capital * 100);
  return {
    knob: persona.spec.initial_state.knob,
    psych: 'rational',
    daysInState: 0,
    equityPaise: capital,
    peakEquityPaise: capital,
    consecutiveWins: 0,
    consecutiveLosses: 0,
    recentDays: [],
    recentWins: [],
    biasType: 'none',
    seq: 0,
    bust: false,
  };
}

export const clampKnob = (k: number) => Math.min(100, Math.max(0, Math.round(k)));

export interface DayMarketClose {
  /** Index close over open, percent. */
  readonly movePct: number;
  /** ATM implied vol at the close, vol points. */
  readonly atmIv: number;
}

export function variables(persona: CompiledPersona, s: PersonaState, market: DayMarketClose): Variables {
  const last = s.recentDays[s.recentDays.length - 1];
  const first = s.recentDays[0];
  const pct = (paise: number, base: number) => (base > 0 ? (100 * paise) / base : 0);
  const wins = s.recentWins.filter(Boolean).length;
  return {
    knob: s.knob,
    initial_knob: persona.spec.initial_state.knob,
    consecutive_wins: s.consecutiveWins,
    consecutive_losses: s.consecutiveLosses,
    drawdown_pct: pct(s.peakEquityPaise - s.equityPaise, s.peakEquityPaise),
    day_pnl_pct: last ? pct(last.pnlPaise, last.startEquityPaise) : 0,
    pnl_5d_pct: first
      ? pct(
          sumOf(s.recentDays, (d) => d.pnlPaise),
          first.startEquityPaise,
        )
      : 0,
    trades_today: last?.trades ?? 0,
    trades_5d: sumOf(s.recentDays, (d) => d.trades),
    win_rate_10: s.recentWins.length ? (100 * wins) / s.recentWins.length : 0,
    equity_pct: pct(s.equityPaise, Math.round(persona.spec.initial_state.capital * 100)),
    days_in_state: s.daysInState,
    day_move_pct: market.movePct,
    atm_iv: market.atmIv,
  };
}

function sumOf<T>(xs: readonly T[], f: (x: T) => number): number {
  let s = 0;
  for (const x of xs) s += f(x);
  return s;
}

/** The state after a day's trades are booked: streaks, equity, the five-day window. */
export function bookDay(s: PersonaState, netPnlsPaise: readonly number[], startEquityPaise: number): PersonaState {
  let { consecutiveWins, consecutiveLosses, equityPaise, peakEquityPaise } = s;
  const recentWins = [...s.recentWins];
  let day = 0;
  for (const p of netPnlsPaise) {
    day += p;
    equityPaise += p;
    peakEquityPaise = Math.max(peakEquityPaise, equityPaise);
    const win = p > 0;
    consecutiveWins = win ? consecutiveWins + 1 : 0;
    consecutiveLosses = win ? 0 : consecutiveLosses + 1;
    recentWins.push(win);
  }
  const recentDays = [...s.recentDays, { pnlPaise: day, trades: netPnlsPaise.length, startEquityPaise }].slice(-5);
  return {
    ...s,
    consecutiveWins,
    consecutiveLosses,
    equityPaise,
    peakEquityPaise,
    recentWins: recentWins.slice(-10),
    recentDays,
    seq: s.seq + netPnlsPaise.length,
  };
}

/** Rules 1–4 above. */
export function nextPsychState(persona: CompiledPersona, s: PersonaState, vars: Variables, rng: Rng): PsychState {
  const { tilt, fatigue } = persona.spec.psychology;
  // One draw each, always taken, so a rule's outcome never shifts the stream for the next.
  const fatigueDraw = rng.next();
  const tiltDraw = rng.next();
  if (s.psych === 'fatigued') return s.daysInState + 1 >= fatigue.rest_days ? 'rational' : 'fatigued';
  if (evaluateCondition(persona.fatigueEnter, vars) && fatigueDraw < fatigue.probability) return 'fatigued';
  if (s.psych === 'tilted')
    return evaluateCondition(persona.tiltExit, vars) || s.daysInState + 1 >= tilt.max_days ? 'rational' : 'tilted';
  return evaluateCondition(persona.tiltEnter, vars) && tiltDraw < tilt.probability ? 'tilted' : 'rational';
}

/**
 * The knob after a day: the base rule (stay, or close `revert_rate` of the gap to the initial
 * knob), then each trigger in order whose condition holds, with its probability.
 */
export function nextKnob(
  persona: CompiledPersona,
  knob: number,
  vars: Variables,
  rng: Rng,
): { knob: number; biasType?: string } {
  const kb = persona.spec.knob_behavior;
  const initial = persona.spec.initial_state.knob;
  let k = knob;
  if (kb.base_rule === 'revert_to_initial' && k !== initial) {
    const step = (initial - k) * (kb.revert_rate ?? 0.2);
    k = clampKnob(k + (Math.abs(step) < 1 ? Math.sign(step) : step));
  }
  let biasType: string | undefined;
  for (const t of persona.triggers) {
    const draw = rng.next();
    if (!evaluateCondition(t.when, { ...vars, knob: k })) continue;
    if (draw >= t.probability) continue;
    k = clampKnob(applyAction(t.act, { ...vars, knob: k }));
    biasType = t.is_biased ? t.reason_code : 'none';
  }
  return { knob: k, biasType };
}

/** End of day: transition, knob, bust check. */
export function closeDay(persona: CompiledPersona, s: PersonaState, market: DayMarketClose, rng: Rng): PersonaState {
  // A bust persona is out of the game: its state no longer moves.
  if (s.bust) return { ...s, daysInState: s.daysInState + 1 };
  const vars = variables(persona, s, market);
  const psych = nextPsychState(persona, s, vars, rng);
  const { knob, biasType } = nextKnob(persona, s.knob, vars, rng);
  const capital = Math.round(persona.spec.initial_state.capital * 100);
  return {
    ...s,
    psych,
    daysInState: psych === s.psych ? s.daysInState + 1 : 0,
    knob,
    biasType: biasType ?? s.biasType,
    bust: s.bust || s.equityPaise < capital / 4,
  };
}
