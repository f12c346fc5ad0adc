/**
 * POST /postbacks/kite/:tenantId — Kite's order postbacks. Verified by checksum against the
 * tenant's API secret, then a wake-up signal to the OrderPlacement workflow (broker/kite/postback.ts).
 * Refusals are counted by reason, never written anywhere: the endpoint is open to the internet.
 */
import { Router, Request, Response } from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { handleKitePostback } from '../../broker/kite/postback';
import type { Metrics } from '../metrics';
import { jsonBody } from '../json-body';

export function postbackRoutes(deps: { pool: Pool; client: Client; metrics: Metrics }): Router {
  const r = Router();
  r.post('/postbacks/kite/:tenantId', jsonBody, async (req: Request, res: Response) => {
    const outcome = await handleKitePostback(deps, String(req.params.tenantId), req.body);
    if (outcome.rejected) deps.metrics.postbacksRejected.inc({ reason: outcome.rejected });
    res.status(outcome.status).json(outcome.body);
  });
  return r;
}
