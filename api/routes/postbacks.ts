/**
 * POST /postbacks/kite/:tenantId — Kite's order postbacks. Verified by checksum against the
 * tenant's API secret, then a wake-up signal to the OrderPlacement workflow (broker/kite/postback.ts).
 */
import { Router } from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { handleKitePostback } from '../../broker/kite/postback';

export function postbackRoutes(deps: { pool: Pool; client: Client }): Router {
  const r = Router();
  r.post('/postbacks/kite/:tenantId', async (req, res) => {
    const tenantId = Number(req.params.tenantId);
    if (!Number.isInteger(tenantId) || tenantId <= 0) {
      res.status(404).json({ ok: false, error: 'not found' });
      return;
    }
    if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      res.status(400).json({ ok: false, error: 'body must be a JSON object' });
      return;
    }
    const outcome = await handleKitePostback(deps, tenantId, req.body as Record<string, unknown>);
    res.status(outcome.status).json(outcome.body);
  });
  return r;
}
