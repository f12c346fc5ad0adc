/**
 * Worker for the `personas` task queue, isolated three ways (Rule 2): it refuses to boot with a
 * broker credential in its environment; it refuses unless it connects as qs_persona (a role
 * that can touch synthetic trades and nothing else) with the owner's DATABASE_URL absent; and
 * it runs a bundle of the persona workflows alone (built from workflows/persona-simulation.ts at
 * boot, never the platform's shared bundle), so an OrderPlacement sent to its queue finds no
 * workflow to run.
 */
import { main } from './bootstrap';
import { TASK_QUEUES } from '../contracts/task-queues';
import { createPersonaActivities } from '../activities/personas';
import { createWorkerIdentityActivities } from '../activities/worker-identity';
import { assertPersonaIsolation } from './rule2';

const PERSONA_WORKFLOWS_PATH = require.resolve('../workflows/persona-simulation');

main({
  taskQueue: TASK_QUEUES.personas,
  preflight: assertPersonaIsolation,
  activities: ({ workerId, pool }) => ({
    ...createWorkerIdentityActivities({ workerId }),
    ...createPersonaActivities({ pool }),
  }),
  // Overrides QS_WORKFLOW_BUNDLE (the shared bundle, every workflow) with the persona workflows only.
  options: { workflowBundle: undefined, workflowsPath: PERSONA_WORKFLOWS_PATH },
});
