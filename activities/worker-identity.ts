/** Every worker answers "who are you": lets SystemCheck prove an activity-only queue is served. */
import { Context } from '@temporalio/activity';

export function createWorkerIdentityActivities(deps: { workerId: string }) {
  return {
    async workerIdentity(): Promise<{ workerId: string; taskQueue: string }> {
      return { workerId: deps.workerId, taskQueue: Context.current().info.taskQueue };
    },
  };
}

export type WorkerIdentityActivities = ReturnType<typeof createWorkerIdentityActivities>;
