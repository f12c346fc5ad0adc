/**
 * POST /postbacks/kite/:tenantId — Kite's order postbacks. Verified by checksum against the
 * tenant's API secret, then a wake-up signal to the OrderPlacement workflow (broker/kite/postback.ts).
 * Refusals are counted by reason, never written anywhere: the endpoint is open to the internet.
 */
import type { Router } from 'express';
import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { handleKitePostback } from '../../broker/kite/postback';
import type { Metrics } from '../metrics';
import type { RouteTable } from '../route-table';
import { ApiProblem } from '../problem';

export function postbackRoutes(
  table: RouteTable,
  router: Router,
  deps: { pool: Pool; client: Client; metrics: Metrics },
): void {
  table.add(
    router,
    {
      method: 'post',
      path: '/postbacks/kite/:tenantId',
      summary: "Kite order postback (checksum-verified against the tenant's API secret)",
      tag: 'broker',
      access: 'public',
      params: z.object({ tenantId: z.string().max(32) }),
      // The broker module checks the fields and the checksum; here only "a JSON object".
      body: z.record(z.string(), z.unknown()),
      errors: [401, 404, 413, 415],
    },
    async ({ params, body }) => {
      const outcome = await handleKitePostback(deps, params.tenantId, body);
      if (outcome.rejected) deps.metrics.postbacksRejected.inc({ reason: outcome.rejected });
      if (outcome.status < 400) return outcome.body;
      const refusal = outcome.body as { error?: string; message?: string };
      throw new ApiProblem(outcome.status, refusal.error ?? 'bad_request', refusal.message);
    },
  );
}
