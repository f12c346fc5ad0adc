/**
 * The tail-hedge schedule of a tenant with hedging on: scheduledHedgeRoll at 10:30 IST
 * Monday–Friday (the market has settled after the open and the roll has hours to fill). The
 * workflow itself skips exchange holidays and does nothing when no roll is due.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { TenantId } from '../../contracts/search-attributes';
import { TASK_QUEUES } from '../../contracts/task-queues';
import type { HedgeCheckInput } from '../../contracts/hedge';

export const HEDGE_TIMEZONE = 'Asia/Kolkata';
export const HEDGE_TIME = { hour: 10, minute: 30 } as const;
export const hedgeScheduleId = (tenantId: number) => `hedge-roll/${tenantId}`;

export function hedgeSchedules(tenantId: number): ScheduleOptions[] {
  return [
    {
      scheduleId: hedgeScheduleId(tenantId),
      spec: {
        calendars: [{ comment: 'trading days, 10:30', dayOfWeek: { start: 'MONDAY', end: 'FRIDAY' }, ...HEDGE_TIME }],
        timezone: HEDGE_TIMEZONE,
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledHedgeRoll',
        taskQueue: TASK_QUEUES.trading,
        workflowId: `hedge-check/${tenantId}`,
        args: [{ tenantId } satisfies HedgeCheckInput],
        workflowExecutionTimeout: '4 hours',
        typedSearchAttributes: [{ key: TenantId, value: String(tenantId) }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    },
  ];
}
