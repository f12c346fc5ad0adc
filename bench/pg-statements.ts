/**
 * Postgres's own account of a bench phase by statement (pg_stat_statements): calls, planning and
 * execution time per call, and the total per unit of work, for a bench run with --statements. It
 * showed that decide's state read cost more to plan than to run.
 */
import { Client } from 'pg';

const wanted = () => process.argv.includes('--statements');

/** The embedded server's settings for --statements; undefined without the flag. */
export function statementsSettings(): Record<string, string> | undefined {
  if (!wanted()) return undefined;
  return {
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track': 'top',
    'pg_stat_statements.track_planning': 'on',
  };
}

interface Row {
  calls: string;
  plan_ms: number;
  exec_ms: number;
  query: string;
}

/**
 * With --statements: resets the counters now, and `report(units)` reads them and closes the
 * connection. Without the flag: undefined.
 */
export async function pgStatements(
  superUrl: string,
  top = 8,
): Promise<{ report(units: number): Promise<string> } | undefined> {
  if (!wanted()) return undefined;
  const client = new Client({ connectionString: superUrl });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.query('SELECT pg_stat_statements_reset()');
  return {
    async report(units) {
      try {
        const { rows } = await client.query<Row>(
          `SELECT calls::text, total_plan_time AS plan_ms, total_exec_time AS exec_ms,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS query
             FROM pg_stat_statements ORDER BY total_plan_time + total_exec_time DESC LIMIT $1`,
          [top],
        );
        const f = (x: number) => x.toFixed(3).padStart(7);
        return rows
          .map((r) => {
            const calls = Number(r.calls);
            const perCall = `plan ${f(r.plan_ms / calls)}  run ${f(r.exec_ms / calls)} ms/call`;
            const perUnit = `${f((r.plan_ms + r.exec_ms) / units)} ms per unit`;
            return `  ${String(calls).padStart(6)} calls  ${perCall}  ${perUnit}  ${r.query}`;
          })
          .join('\n');
      } finally {
        await client.end();
      }
    },
  };
}
