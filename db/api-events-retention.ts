/**
 * Retention of the API's event outbox: an event only has to outlive the moment its subscribers
 * read it (a subscriber starts from the current state, never from old events), so rows older
 * than the retention are deleted, tenant by tenant under RLS, in batches that hold no long lock.
 * Every API node runs it on its sweep timer (api/server.ts); it is idempotent.
 */
import type { Pool } from 'pg';
import { forEachTenant } from './tenant';

export const API_EVENTS_RETENTION_HOURS = 72;
const BATCH = 5_000;

/** Deletes events older than `hours`; returns how many. */
export async function pruneApiEvents(pool: Pool, hours = API_EVENTS_RETENTION_HOURS): Promise<number> {
  let deleted = 0;
  await forEachTenant(pool, async ({ client, tenantId }) => {
    for (;;) {
      const r = await client.query(
        `DELETE FROM api_events WHERE ctid IN (
           SELECT ctid FROM api_events
            WHERE tenant_id = $1 AND created_at < now() - make_interval(hours => $2) LIMIT $3)`,
        [tenantId, hours, BATCH],
      );
      deleted += r.rowCount ?? 0;
      if ((r.rowCount ?? 0) < BATCH) break;
    }
  });
  return deleted;
}
