/**
 * Behaviour over many seeds. Controlled: the same persona on the same day, after the same
 * losses, trades larger or more often when tilted than when rational, and less when fatigued.
 * Observed: over whole runs, each archetype's signature shows in its summary.
 */
import { loadPersonas } from '../../personas/loader';
import type { CompiledPersona } from './compile';
import { simulatePersonaDay } from './engine';
import { createMarketTape, type MarketTape } from './market-tape';
import { initialState, type PersonaState } from './psychology';
import { simulatePersonas, type PersonaSummary } from './run';
import type { PsychState } from './types';

const personas = loadPersonas().map((p) => p.compiled);
const SEEDS = [1, 2, 3, 4, 5, 6];

/** A state just after three losing trades and a losing day, in a given psychological state. */
function afterLosses(p: CompiledPersona, psych: PsychState): PersonaState {
  const s = initialState(p);
  const loss = -Math.round(s.equityPaise * 0.01);
  return {
    ...s,
    psych,
    consecutiveLosses: 3,
    equityPaise: s.equityPaise + 3 * loss,
    recentWins: [false, false, false],
    recentDays: [{ pnlPaise: 3 * loss, trades: 3, startEquityPaise: s.equityPaise }],
  };
}

interface Activity {
  trades: number;
  lots: number;
}

function activity(p: CompiledPersona, psych: PsychState, tapes: readonly MarketTape[]): Activity {
  const a = { trades: 0, lots: 0 };
  for (const tape of tapes)
    for (let d = 0; d < tape.days.length; d++) {
      const day = simulatePersonaDay(p, afterLosses(p, psych), tape, d);
      a.trades += day.trades.length;
      for (const t of day.trades) a.lots += t.lots;
    }
  return a;
}

describe('psychological states, controlled (same persona, day and losses; only the state differs)', () => {
  const tapes = SEEDS.map((seed) =>
    createMarketTape({ instrument: 'NIFTY', fromDate: '2025-06-02', days: 30, seed, keepDays: 30 }),
  );
  const tiltable = personas.filter((p) => {
    const t = p.spec.psychology.tilt;
    return t.probability > 0 && (t.size_multiplier > 1 || t.frequency_multiplier > 1 || t.extra_trades > 0);
  });
  const tiring = personas.filter((p) => p.spec.psychology.fatigue.probability > 0);

  it('covers most of the fleet', () => {
    expect(tiltable.length).toBeGreaterThanOrEqual(15);
    expect(tiring.length).toBeGreaterThanOrEqual(15);
  });

  it.each(tiltable.map((p) => [p.spec.persona_id, p] as const))(
    '%s tilted trades larger or more often after losses than rational',
    (_id, p) => {
      const rational = activity(p, 'rational', tapes);
      const tilted = activity(p, 'tilted', tapes);
      expect(rational.trades).toBeGreaterThan(0);
      const lotsPerTrade = (a: Activity) => a.lots / Math.max(1, a.trades);
      const more = tilted.trades > rational.trades;
      const larger = lotsPerTrade(tilted) > lotsPerTrade(rational);
      expect({ id: p.spec.persona_id, moreOrLarger: more || larger }).toEqual({
        id: p.spec.persona_id,
        moreOrLarger: true,
      });
      // The overall exposure (lots traded) rises either way.
      expect(tilted.lots).toBeGreaterThan(rational.lots);
    },
  );

  it.each(tiring.map((p) => [p.spec.persona_id, p] as const))('%s fatigued trades less than rational', (_id, p) => {
    const rational = activity(p, 'rational', tapes);
    const fatigued = activity(p, 'fatigued', tapes);
    expect(fatigued.trades).toBeLessThan(rational.trades);
    expect(fatigued.lots).toBeLessThan(rational.lots);
  });
});

describe('archetype signatures in the run summary, over seeds', () => {
  const runs: (readonly PersonaSummary[])[] = SEEDS.slice(0, 4).map(
    (seed) => simulatePersonas(personas, { instrument: 'NIFTY', fromDate: '2025-02-03', days: 120, seed }).summaries,
  );
  const each = (id: string, check: (s: PersonaSummary, run: readonly PersonaSummary[]) => void) => {
    for (const run of runs)
      check(
        run.find((s) => s.personaId === id)!,
        run,
      );
  };
  const share = (n: number, s: PersonaSummary) => n / Math.max(1, s.trades);
  const structures = (s: PersonaSummary, kinds: string[]) =>
    share(
      kinds.reduce((a, k) => a + (s.byStructure[k] ?? 0), 0),
      s,
    );
  const stateShare = (s: PersonaSummary, st: PsychState) =>
    s.stateDays[st] / (s.stateDays.rational + s.stateDays.tilted + s.stateDays.fatigued);
  const isMax = (id: string, f: (s: PersonaSummary) => number) =>
    each(id, (s, run) => expect(Math.max(...run.map(f))).toBe(f(s)));

  it('P01 cautious hedger: hedges most trades with futures, always', () =>
    each('P01', (s) => expect(share(s.hedgedTrades, s)).toBeGreaterThan(0.4)));
  it('P02 theta seller: short premium only', () =>
    each('P02', (s) =>
      expect(structures(s, ['IRON_CONDOR', 'IRON_BUTTERFLY', 'BULL_PUT_SPREAD', 'BEAR_CALL_SPREAD'])).toBeGreaterThan(
        0.9,
      ),
    ));
  it('P03 revenge trader: the most time tilted in the fleet', () => isMax('P03', (s) => stateShare(s, 'tilted')));
  it('P04 FOMO buyer and P14 vol buyer: mostly long options', () => {
    for (const id of ['P04', 'P14'])
      each(id, (s) => expect(structures(s, ['LONG_STRADDLE', 'LONG_STRANGLE'])).toBeGreaterThan(0.6));
  });
  it('P05 aggressor: naked futures beside nearly every trade, never a hedge', () =>
    each('P05', (s) => {
      expect(share(s.futuresTrades, s)).toBeGreaterThan(0.7);
      expect(s.hedgedTrades).toBe(0);
    }));
  it('P06 expiry-day gambler: most of its trades on expiry days, the highest share in the fleet', () => {
    each('P06', (s) => expect(share(s.expiryDayTrades, s)).toBeGreaterThan(0.6));
    isMax('P06', (s) => share(s.expiryDayTrades, s));
  });
  it('P07 systematic: always rational, one structure', () =>
    each('P07', (s) => {
      expect([s.stateDays.tilted, s.stateDays.fatigued]).toEqual([0, 0]);
      expect(Object.keys(s.byStructure)).toEqual(['IRON_CONDOR']);
    }));
  it('P08 contrarian fades the morning; P09 momentum chaser follows it', () => {
    each('P08', (s) => expect(s.fadedMove).toBeGreaterThan(3 * s.followedMove));
    each('P09', (s) => expect(s.followedMove).toBeGreaterThan(3 * s.fadedMove));
  });
  it('P11 loss-averse: never stops a loser, banks winners early', () =>
    each('P11', (s) => {
      expect(s.stopExits).toBe(0);
      expect(share(s.targetExits, s)).toBeGreaterThan(0.2);
    }));
  it('P12 tail insurer buys puts; P13 calendar spreader trades calendars', () => {
    each('P12', (s) => expect(structures(s, ['PROTECTIVE_PUT'])).toBeGreaterThan(0.7));
    each('P13', (s) => expect(structures(s, ['CALENDAR_SPREAD'])).toBeGreaterThan(0.7));
  });
  it('P15 novice: nearly every structure', () =>
    each('P15', (s) => expect(Object.keys(s.byStructure).length).toBeGreaterThanOrEqual(7)));
  it('P18 capital preserver: small drawdowns, never tilted', () =>
    each('P18', (s) => {
      expect(s.maxDrawdownPct).toBeLessThan(5);
      expect(s.stateDays.tilted).toBe(0);
    }));
  it('P19 band hedger hedges, and only P01 and P19 ever hedge', () =>
    each('P19', (s, run) => {
      expect(s.hedgedTrades).toBeGreaterThan(0);
      expect(run.filter((x) => x.hedgedTrades > 0).map((x) => x.personaId)).toEqual(['P01', 'P19']);
    }));
  it('P20 burnout: the most time fatigued in the fleet', () => isMax('P20', (s) => stateShare(s, 'fatigued')));
  it('P10 overtrader: the most trades per active day', () =>
    isMax('P10', (s) => s.trades / Math.max(1, s.stateDays.rational + s.stateDays.tilted + s.stateDays.fatigued)));
});
