/**
 * The tenant half of the dry-run lock changes only through qs_set_live_armed (a SECURITY
 * DEFINER function): it checks the actor is an admin of the tenant or of the platform and
 * writes the audit row in the same transaction. The runtime role cannot UPDATE tenants.
 */
import type { Pool } from 'pg';

export class ArmingRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArmingRefused';
  }
}

export async function setLiveArmed(
  pool: Pool,
  change: { tenantId: number; armed: boolean; actorUserId: number; reason: string },
): Promise<boolean> {
  try {
    const { rows } = await pool.query<{ armed: boolean }>('SELECT qs_set_live_armed($1, $2, $3, $4) AS armed', [
      change.tenantId,
      change.armed,
      change.actorUserId,
      change.reason,
    ]);
    return rows[0].armed;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '42501' || code === '23514' || code === 'P0002') throw new ArmingRefused((err as Error).message);
    throw err;
  }
}
