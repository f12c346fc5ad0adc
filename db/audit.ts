/**
 * audit(): every state-changing action leaves an append-only, hash-chained row. The chain
 * fields (seq, prev_hash, hash, created_at) are set by the database trigger, so callers cannot
 * forge them; verifyAuditChain() recomputes every hash independently of that trigger.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { withTenant } from './tenant';

export interface AuditRow {
  seq: number;
  hash: string;
}

/** Inside an existing tenant transaction (the usual case: the audit row commits with the change). */
export async function auditIn(
  client: PoolClient,
  tenantId: number,
  userId: number | null,
  eventType: string,
  payload: unknown = {},
): Promise<AuditRow> {
  const { rows } = await client.query<{ seq: string; hash: string }>(
    `INSERT INTO audit_log (tenant_id, user_id, event_type, payload, seq, prev_hash, hash)
     VALUES ($1, $2, $3, $4::jsonb, 0, '', '') RETURNING seq, hash`,
    [tenantId, userId, eventType, JSON.stringify(payload ?? {})],
  );
  return { seq: Number(rows[0].seq), hash: rows[0].hash };
}

/** Whether the tenant's log already holds an event whose payload has `field` = `value` (once-only events). */
export async function auditEventRecorded(
  client: PoolClient,
  tenantId: number,
  eventType: string,
  field: string,
  value: string,
): Promise<boolean> {
  const { rows } = await client.query(
    'SELECT 1 FROM audit_log WHERE tenant_id = $1 AND event_type = $2 AND payload->>$3 = $4 LIMIT 1',
    [tenantId, eventType, field, value],
  );
  return rows.length > 0;
}

/** On its own transaction. */
export function audit(
  pool: Pool,
  tenantId: number,
  userId: number | null,
  eventType: string,
  payload: unknown = {},
): Promise<AuditRow> {
  return withTenant(pool, tenantId, ({ client }) => auditIn(client, tenantId, userId, eventType, payload));
}

export interface ChainVerdict {
  ok: boolean;
  rows: number;
  /** The first row whose hash or link does not hold. */
  firstBroken?: { id: number; seq: number; reason: string };
}

const GENESIS = '0'.repeat(64);

export async function verifyAuditChain(pool: Pool, tenantId: number): Promise<ChainVerdict> {
  return withTenant(pool, tenantId, async ({ client }) => {
    const { rows } = await client.query<{
      id: string;
      seq: string;
      tenant_id: number;
      user_id: number | null;
      event_type: string;
      payload: string;
      created: string;
      prev_hash: string;
      hash: string;
    }>(
      `SELECT id, seq, tenant_id, user_id, event_type, payload::text AS payload,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created, prev_hash, hash
         FROM audit_log WHERE tenant_id = $1 ORDER BY seq`,
      [tenantId],
    );
    let prev = GENESIS;
    let expectedSeq = 1;
    for (const r of rows) {
      const broken = (reason: string): ChainVerdict => ({
        ok: false,
        rows: rows.length,
        firstBroken: { id: Number(r.id), seq: Number(r.seq), reason },
      });
      if (Number(r.seq) !== expectedSeq) return broken(`sequence gap: expected seq ${expectedSeq}`);
      if (r.prev_hash !== prev) return broken('prev_hash does not match the previous row');
      const canonical = [r.tenant_id, r.seq, r.user_id ?? '', r.event_type, r.payload, r.created].join('|');
      const hash = createHash('sha256').update(`${r.prev_hash}|${canonical}`, 'utf8').digest('hex');
      if (hash !== r.hash) return broken('hash does not match the row content (altered after it was written)');
      prev = r.hash;
      expectedSeq++;
    }
    return { ok: true, rows: rows.length };
  });
}
