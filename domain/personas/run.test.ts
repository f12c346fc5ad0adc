/**
 * Runs of days: cut anywhere (chunks, JSON round trips as across continue-as-new) a run gives
 * the same trades, summaries and hash as an unbroken one; the same seed gives the same
 * resultHash, another seed another; a run is a pure function of its inputs.
 */
import { loadPersonas } from '../../personas/loader';
import type { PersonaTrade } from './engine';
import { createMarketTape } from './market-tape';
import { resultHash, runPersonaDays, simulatePersonas, startProgress, summarise, type PersonaProgress } from './run';

const personas = loadPersonas()
  .filter((p) => ['P03', 'P05', 'P20'].includes(p.spec.persona_id))
  .map((p) => p.compiled);
const tapeOptions = { instrument: 'NIFTY' as const, fromDate: '2025-09-01', days: 24, seed: 42 };

describe('persona runs', () => {
  const whole = simulatePersonas(personas, tapeOptions);

  it('trades', () => expect(whole.trades).toBeGreaterThan(10));

  it('cut into chunks, with the progress through JSON between them, equal the unbroken run', () => {
    const tape = createMarketTape(tapeOptions);
    const summaries = personas.map((p) => {
      let progress: PersonaProgress = startProgress(p);
      const trades: PersonaTrade[] = [];
      for (const count of [5, 1, 7, 11]) {
        const r = runPersonaDays(p, progress, tape, count);
        trades.push(...r.trades);
        progress = JSON.parse(JSON.stringify(r.progress)) as PersonaProgress;
      }
      expect(progress.day).toBe(tapeOptions.days);
      expect(trades.map((t) => t.seq)).toEqual(trades.map((_, i) => i));
      return summarise(p, progress);
    });
    expect(summaries).toEqual(whole.summaries);
    expect(resultHash(summaries)).toBe(whole.resultHash);
  });

  it('the same seed gives the same resultHash; another seed another', () => {
    expect(simulatePersonas(personas, tapeOptions).resultHash).toBe(whole.resultHash);
    expect(simulatePersonas(personas, { ...tapeOptions, seed: 43 }).resultHash).not.toBe(whole.resultHash);
  });

  it('money is exact: every P&L is gross minus charges in whole paise', () => {
    const trades: PersonaTrade[] = [];
    simulatePersonas(personas, tapeOptions, (t) => trades.push(...t));
    for (const t of trades) {
      expect(Number.isSafeInteger(t.grossPnlPaise) && Number.isSafeInteger(t.chargesPaise)).toBe(true);
      expect(t.netPnlPaise).toBe(t.grossPnlPaise - t.chargesPaise);
      expect(t.chargesPaise).toBeGreaterThan(0);
      expect(t.exit).toHaveLength(t.entry.length);
    }
  });
});
