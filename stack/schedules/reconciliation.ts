/**
 * Temporal Schedules for a tenant's reconciliation (definitions only, not an activity:
 * `qs schedules apply` applies them idempotently for every active tenant).
 *   reconcile-pre-open/<tenant>   08:45 IST Mon–Fri, before each trading day
 *   reconcile-intraday/<tenant>   every 5 minutes 09:15–15:30 IST Mon–Fri (market hours)
 * Exchange holidays still fire: a reconciliation on a holiday is harmless and cheap.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { TenantId } from '../../contracts/search-attributes';
import { TASK_QUEUES } from '../../contracts/task-queues';
import type { ReconciliationInput } from '../../contracts/reconciliation';

const WEEKDAYS = { start: 'MONDAY', end: 'FRIDAY' } as const;
export const RECONCILIATION_TIMEZONE = 'Asia/Kolkata';

export function reconciliationSchedules(tenantId: number): ScheduleOptions[] {
  const action = (trigger: ReconciliationInput['trigger'], prefix: string) => ({
    type: 'startWorkflow' as const,
    workflowType: 'reconciliation',
    taskQueue: TASK_QUEUES.trading,
    workflowId: `reconcile/${tenantId}/${prefix}`,
    args: [{ tenantId, trigger } satisfies ReconciliationInput],
    workflowExecutionTimeout: 600_000,
    typedSearchAttributes: [{ key: TenantId, value: String(tenantId) }],
  });
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 120_000 };
  return [
    {
      scheduleId: `reconcile-pre-open/${tenantId}`,
      spec: {
        calendars: [{ comment: 'before each trading day', dayOfWeek: WEEKDAYS, hour: 8, minute: 45 }],
        timezone: RECONCILIATION_TIMEZONE,
      },
      action: action('pre_open', 'pre-open'),
      policies,
    },
    {
      scheduleId: `reconcile-intraday/${tenantId}`,
      spec: {
        calendars: [
          {
            comment: 'market hours 09:15-09:55',
            dayOfWeek: WEEKDAYS,
            hour: 9,
            minute: { start: 15, end: 55, step: 5 },
          },
          {
            comment: 'market hours 10:00-14:55',
            dayOfWeek: WEEKDAYS,
            hour: { start: 10, end: 14 },
            minute: { start: 0, end: 55, step: 5 },
          },
          {
            comment: 'market hours 15:00-15:30',
            dayOfWeek: WEEKDAYS,
            hour: 15,
            minute: { start: 0, end: 30, step: 5 },
          },
        ],
        timezone: RECONCILIATION_TIMEZONE,
      },
      action: action('schedule', 'intraday'),
      policies,
    },
  ];
}
