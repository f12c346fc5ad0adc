/**
 * PersonaSimulation, on the personas queue: a parent per run (seed, dates, personas) starts
 * one child per persona and folds their summaries into the run's result and resultHash.
 *
 * personaRun, the child: simulates its persona's days a chunk at a time in an activity (the
 * pure engine; the activity writes the chunk's trades idempotently), carrying the persona's
 * progress — its state and tally, plain JSON — from chunk to chunk and across continue-as-new
 * every `daysPerRun` days, so a year of days never grows one history. The engine is seeded by
 * (seed, persona, date), so where the chunks and runs are cut changes nothing.
 *
 * This file is also the persona worker's whole bundle (workers/personas.ts): it exports the
 * persona workflows and nothing else, so no other workflow can run on that worker.
 */
import { continueAsNew, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { PersonaActivities } from '../activities/personas';
import {
  PERSONA_CHUNK_DAYS,
  PERSONA_DAYS_PER_RUN,
  personaRunWorkflowId,
  personaSimulationWorkflowId,
  type PersonaRunInput,
  type PersonaRunResult,
  type PersonaSimulationInput,
  type PersonaSimulationResult,
} from '../contracts/personas';
import type { WorkflowSignatures } from '../contracts/workflows';
import { compilePersona } from '../domain/personas/compile';
import { resultHash, startProgress, summarise, type PersonaProgress } from '../domain/personas/run';

const { simulatePersonaChunk } = proxyActivities<PersonaActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export async function personaSimulation(input: PersonaSimulationInput): Promise<PersonaSimulationResult> {
  const { personas, ...run } = input;
  // From the run's business key rather than workflowInfo(), so the children's ids are the input's alone.
  const parent = personaSimulationWorkflowId(input.tenantId, input.simulationId);
  const results = await Promise.all(
    personas.map((persona) =>
      executeChild<WorkflowSignatures['personaRun']>('personaRun', {
        workflowId: personaRunWorkflowId(parent, persona.persona_id),
        args: [{ ...run, persona }],
      }),
    ),
  );
  const summaries = results.map((r) => r.summary).sort((a, b) => (a.personaId < b.personaId ? -1 : 1));
  return {
    simulationId: input.simulationId,
    tenantId: input.tenantId,
    seed: input.seed,
    instrument: input.instrument,
    fromDate: input.fromDate,
    days: input.days,
    personas: summaries,
    trades: summaries.reduce((a, s) => a + s.trades, 0),
    inserted: results.reduce((a, r) => a + r.inserted, 0),
    resultHash: resultHash(summaries),
  };
}

export async function personaRun(input: PersonaRunInput): Promise<PersonaRunResult> {
  const { progress: carried, inserted: carriedInserted, ...run } = input;
  const chunk = input.chunkDays ?? PERSONA_CHUNK_DAYS;
  const perRun = input.daysPerRun ?? PERSONA_DAYS_PER_RUN;
  const persona = compilePersona(input.persona);
  let progress: PersonaProgress = carried ?? startProgress(persona);
  let inserted = carriedInserted ?? 0;
  const stopAt = Math.min(input.days, progress.day + perRun);
  const workflowId = workflowInfo().workflowId;
  while (progress.day < stopAt) {
    const count = Math.min(chunk, stopAt - progress.day);
    const r = await simulatePersonaChunk({ ...run, progress, count, workflowId });
    progress = r.progress;
    inserted += r.inserted;
  }
  if (progress.day < input.days) return continueAsNew<typeof personaRun>({ ...run, progress, inserted });
  return { summary: summarise(persona, progress), inserted };
}
