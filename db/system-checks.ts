/** SystemCheck's round-trip rows (a platform table: no tenant), written once per check id. */
import type { Pool } from 'pg';

/** Inserts the check once; `inserted` is false when a retry found it already written. */
export async function writeSystemCheck(
  pool: Pool,
  c: { checkId: string; workflowId: string; runId: string; worker: string },
): Promise<{ inserted: boolean; createdAt: Date }> {
  const { rows } = await pool.query<{ inserted: boolean; created_at: Date }>(
    `WITH ins AS (
       INSERT INTO system_checks (check_id, workflow_id, run_id, worker) VALUES ($1, $2, $3, $4)
       ON CONFLICT (check_id) DO NOTHING RETURNING created_at)
     SELECT true AS inserted, created_at FROM ins
     UNION ALL SELECT false, created_at FROM system_checks WHERE check_id = $1 AND NOT EXISTS (SELECT 1 FROM ins)`,
    [c.checkId, c.workflowId, c.runId, c.worker],
  );
  return { inserted: rows[0]!.inserted, createdAt: rows[0]!.created_at };
}
