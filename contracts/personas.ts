/**
 * What PersonaSimulation and its per-persona children take and return (plain JSON, shared
 * with the persona activities and the CLI). A run is named by what decides its trades (seed,
 * instrument, dates, the personas' declarations), so starting the same run again is a rerun
 * that writes nothing new, and the same seed gives the same resultHash.
 */
import type { IsoDate } from '../domain/dates';
import type { Instrument } from '../domain/instruments';
import type { PersonaProgress, PersonaSummary } from '../domain/personas/run';
import type { PersonaSpec } from '../domain/personas/types';
import { contentHash } from '../domain/snapshot/content-hash';

/** Days simulated per activity, and per workflow run before continue-as-new (defaults). */
export const PERSONA_CHUNK_DAYS = 25;
export const PERSONA_DAYS_PER_RUN = 50;

export interface PersonaSimulationInput {
  readonly simulationId: string;
  /** Whose synthetic data this is (the platform tenant for the global cold start). */
  readonly tenantId: number;
  readonly seed: number;
  readonly instrument: Instrument;
  readonly fromDate: IsoDate;
  readonly days: number;
  readonly personas: readonly PersonaSpec[];
  readonly chunkDays?: number;
  readonly daysPerRun?: number;
}

export interface PersonaRunInput extends Omit<PersonaSimulationInput, 'personas'> {
  readonly persona: PersonaSpec;
  /** Carried across continue-as-new (absent on the first run). */
  readonly progress?: PersonaProgress;
  readonly inserted?: number;
}

export interface PersonaRunResult {
  readonly summary: PersonaSummary;
  /** Trades this execution chain wrote that were not there yet (0 on a rerun). */
  readonly inserted: number;
}

export interface PersonaSimulationResult {
  readonly simulationId: string;
  readonly tenantId: number;
  readonly seed: number;
  readonly instrument: Instrument;
  readonly fromDate: IsoDate;
  readonly days: number;
  readonly personas: readonly PersonaSummary[];
  readonly trades: number;
  readonly inserted: number;
  /** FNV-1a 64 over every persona's rolling hash of its trades. */
  readonly resultHash: string;
}

/** What a persona chunk activity takes. */
export interface PersonaChunkInput extends Omit<PersonaRunInput, 'inserted'> {
  readonly count: number;
  /** The persona's workflow, recorded on its trades. */
  readonly workflowId: string;
}

export interface PersonaChunkResult {
  readonly progress: PersonaProgress;
  readonly trades: number;
  readonly inserted: number;
}

export function simulationIdFor(
  input: Pick<PersonaSimulationInput, 'seed' | 'instrument' | 'fromDate' | 'days' | 'personas'>,
): string {
  const personas = contentHash(input.personas).slice(0, 10);
  return `s${input.seed}-${input.instrument}-${input.fromDate}-${input.days}d-${personas}`;
}

export const personaSimulationWorkflowId = (tenantId: number, simulationId: string) =>
  `personas/${tenantId}/${simulationId}`;

export const personaRunWorkflowId = (parentWorkflowId: string, personaId: string) => `${parentWorkflowId}/${personaId}`;
