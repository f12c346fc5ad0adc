/**
 * Persona simulation activities (the persona worker, role qs_persona): simulate a chunk of a
 * persona's days with the pure engine and write its trades. Idempotent: the engine is a pure
 * function of the input, and the trades' business key makes a retry or a rerun insert nothing.
 *
 * The simulated market of a run is built once per process and shared by every persona's
 * chunks (a small LRU of tapes), as the pure loop shares it.
 */
import type { Pool } from 'pg';
import type { PersonaChunkInput, PersonaChunkResult } from '../contracts/personas';
import { insertSyntheticTrades } from '../db/synthetic-trades';
import { withTenant } from '../db/tenant';
import { compilePersona, type CompiledPersona } from '../domain/personas/compile';
import { createMarketTape, type MarketTape } from '../domain/personas/market-tape';
import { runPersonaDays, startProgress } from '../domain/personas/run';
import { contentHash } from '../domain/snapshot/content-hash';

/** Tapes kept per process (a run's market; more than one run at a time is rare). */
const TAPES_KEPT = 2;

export function createPersonaActivities(deps: { pool: Pool }) {
  const tapes = new Map<string, MarketTape>();
  const compiled = new Map<string, CompiledPersona>();

  function tapeFor(i: PersonaChunkInput): MarketTape {
    const key = `${i.instrument}|${i.seed}|${i.fromDate}|${i.days}`;
    let tape = tapes.get(key);
    if (tape) tapes.delete(key);
    // Chains of a chunk's worth of days for every persona walking them, and some slack.
    else tape = createMarketTape({ ...i, keepDays: 2 * (i.count + 5) });
    tapes.set(key, tape);
    if (tapes.size > TAPES_KEPT) tapes.delete(tapes.keys().next().value!);
    return tape;
  }

  function personaOf(i: PersonaChunkInput): CompiledPersona {
    const key = contentHash(i.persona);
    let c = compiled.get(key);
    if (!c) compiled.set(key, (c = compilePersona(i.persona)));
    if (compiled.size > 64) compiled.delete(compiled.keys().next().value!);
    return c;
  }

  return {
    async simulatePersonaChunk(input: PersonaChunkInput): Promise<PersonaChunkResult> {
      const persona = personaOf(input);
      const from = input.progress ?? startProgress(persona);
      const r = runPersonaDays(persona, from, tapeFor(input), input.count);
      const inserted = await withTenant(deps.pool, input.tenantId, (tx) =>
        insertSyntheticTrades(tx, { simulationId: input.simulationId, workflowId: input.workflowId }, r.trades),
      );
      return { progress: r.progress, trades: r.trades.length, inserted };
    },
  };
}

export type PersonaActivities = ReturnType<typeof createPersonaActivities>;
