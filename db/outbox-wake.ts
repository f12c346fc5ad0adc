/**
 * Waking the API's event readers after a commit (migration 0029). A transaction that writes an
 * outbox event flags itself (`qs.api_events`). The COMMIT below is one simple-protocol message
 * of three statements: the flag is copied to the session, the transaction commits, and a flagged
 * one is followed, in its own implicit transaction, by an empty NOTIFY. Outside the transaction
 * because a NOTIFY inside it takes Postgres's notify lock at commit and holds it through the WAL
 * flush, serialising every such commit; the NOTIFY's own transaction writes nothing to flush.
 * One round trip, as a bare COMMIT. A wake lost to a connection dying between the two is made up
 * by the readers' periodic read.
 */
import type { PoolClient } from 'pg';

export const API_EVENTS_CHANNEL = 'qs_api_events';

const COMMIT_AND_WAKE = [
  "SELECT set_config('qs.api_events_committed', coalesce(current_setting('qs.api_events', true), ''), false)",
  'COMMIT',
  `SELECT pg_notify('${API_EVENTS_CHANNEL}', '') WHERE current_setting('qs.api_events_committed') = 'on'`,
].join('; ');

/** Commits the open transaction on `client`, then wakes the event readers if it wrote an event. */
export async function commitAndWake(client: PoolClient): Promise<void> {
  await client.query(COMMIT_AND_WAKE);
}
