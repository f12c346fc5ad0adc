/** SystemCheck's one side effect: an idempotent write keyed by the check id. */
import type { Pool } from 'pg';
import { Context } from '@temporalio/activity';

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
      const { rows } = await deps.pool.query<{ inserted: boolean; created_at: Date }>(
        `WITH ins AS (
           INSERT INTO system_checks (check_id, workflow_id, run_id, worker) VALUES ($1, $2, $3, $4)
           ON CONFLICT (check_id) DO NOTHING RETURNING created_at)
         SELECT true AS inserted, created_at FROM ins
         UNION ALL SELECT false, created_at FROM system_checks WHERE check_id = $1 AND NOT EXISTS (SELECT 1 FROM ins)`,
        [input.checkId, info.workflowExecution?.workflowId ?? '', info.workflowExecution?.runId ?? '', deps.workerId],
      );
      return {
        checkId: input.checkId,
        worker: deps.workerId,
        inserted: rows[0].inserted,
        dbTime: rows[0].created_at.toISOString(),
      };
    },
  };
}

export type SystemCheckActivities = ReturnType<typeof createSystemCheckActivities>;
