/** The hedge tests' tenant: a paper account with hedging on and, optionally, a protective put already held. */
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { buildPaperStructure } from '../../broker/paper/structures';
import { changeHedgeSettings, type HedgeSettingsPatch } from '../../db/hedging';
import { withTenant } from '../../db/tenant';
import { FAST, paperTenant, place } from './orders-env';

/** Needs the order workers running when `heldExpiry` is given (the held put is placed for real). */
export async function hedgedTenant(
  pool: Pool,
  client: Client,
  settings: HedgeSettingsPatch = {},
  heldExpiry?: string,
): Promise<{ tenantId: number; heldSymbol: string | null }> {
  const tenantId = await paperTenant(pool);
  await withTenant(pool, tenantId, (tx) => changeHedgeSettings(tx, { enabled: true, ...settings }, null));
  if (!heldExpiry) return { tenantId, heldSymbol: null };
  const built = await buildPaperStructure(pool, tenantId, 'PROTECTIVE_PUT', 'NIFTY', 1, { expiry: heldExpiry });
  const r = await place(client, {
    tenantId,
    decisionId: `held-${randomUUID().slice(0, 8)}`,
    structure: 'PROTECTIVE_PUT',
    instrument: 'NIFTY',
    tradingDate: built.tradingDate,
    lots: 1,
    legs: built.legs,
    options: FAST,
  });
  if (r.status !== 'filled') throw new Error(`the held put did not fill: ${r.status} ${r.reason ?? ''}`);
  return { tenantId, heldSymbol: built.legs[0]!.tradingsymbol };
}
