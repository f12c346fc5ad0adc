/** SystemCheck's one side effect: an idempotent write keyed by the check id. */
import type { Pool } from 'pg';
import { Context } from '@temporalio/activity';
import { writeSystemCheck } from '../db/system-checks';

export interface SystemCheckRecord {
  checkId: string;
  worker: string;
  /** false when a retry found the row already written: the effect happened once. */
  inserted: boolean;
  dbTime: string;
}

export function createSystemCheckActivities(deps: { pool: Pool; workerId: string }) {
  return {
    async recordSystemCheck(input: { checkId: string }): Promise<SystemCheckRecord> {
      const info = Context.current().info;
      const row = await writeSystemCheck(deps.pool, {
        checkId: input.checkId,
        workflowId: info.workflowExecution?.workflowId ?? '',
        runId: info.workflowExecution?.runId ?? '',
        worker: deps.workerId,
      });
      return {
        checkId: input.checkId,
        worker: deps.workerId,
        inserted: row.inserted,
        dbTime: row.createdAt.toISOString(),
      };
    },
  };
}

export type SystemCheckActivities = ReturnType<typeof createSystemCheckActivities>;
