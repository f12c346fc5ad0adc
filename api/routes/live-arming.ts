/**
 * Live arming, the tenant half of the dry-run lock (the process half, QS_LIVE_TRADING, stays in
 * the workers' environment): admins only, a reason required, through the database's audited
 * qs_set_live_armed function.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { ArmingRefused, setLiveArmed } from '../../db/live-arming';
import { storableText } from '../../db/text';
import { TENANT_PREFIX, RouteTable } from '../route-table';
import { ADMINS } from '../roles';
import { forbidden } from '../problem';
import type { TenantDeps } from './tenant';

const armingBody = z.strictObject({ armed: z.boolean(), reason: storableText(500).trim().min(1, 'required') });

export function liveArmingRoutes(table: RouteTable, router: Router, deps: TenantDeps): void {
  table.add(
    router,
    {
      method: 'post',
      path: `${TENANT_PREFIX}/live-arming`,
      summary: 'Arm or disarm live trading for the tenant (orders are real only when the process is live too)',
      tag: 'controls',
      access: ADMINS,
      body: armingBody,
    },
    async ({ tenant, session, body }) => {
      try {
        const armed = await setLiveArmed(deps.pool, {
          tenantId: tenant!.id,
          armed: body.armed,
          actorUserId: session!.userId,
          reason: body.reason,
        });
        return { armed, processLive: 'set by QS_LIVE_TRADING on the broker workers' };
      } catch (err) {
        // The session says admin but the database finds no such admin (deleted, demoted): refuse.
        if (err instanceof ArmingRefused) throw forbidden('your account may not change live arming');
        throw err;
      }
    },
  );
}
