/**
 * A tenant's trading day: scheduledTradingDay at 09:00 IST Monday–Friday opens that day's
 * TradingDay (trading-day/<tenant>/<date>), which ends at once on an exchange holiday.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { TenantId } from '../../contracts/search-attributes';
import { TASK_QUEUES } from '../../contracts/task-queues';
import type { ScheduledDayInput } from '../../contracts/trading-day';

export const TRADING_DAY_TIMEZONE = 'Asia/Kolkata';
export const tradingDayScheduleId = (tenantId: number) => `trading-day/${tenantId}`;

export function tradingDaySchedules(tenantId: number): ScheduleOptions[] {
  return [
    {
      scheduleId: tradingDayScheduleId(tenantId),
      spec: {
        calendars: [{ comment: 'weekdays 09:00', dayOfWeek: { start: 'MONDAY', end: 'FRIDAY' }, hour: 9, minute: 0 }],
        timezone: TRADING_DAY_TIMEZONE,
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledTradingDay',
        taskQueue: TASK_QUEUES.trading,
        workflowId: `trading-day-open/${tenantId}`,
        args: [{ tenantId } satisfies ScheduledDayInput],
        workflowExecutionTimeout: '10 minutes',
        typedSearchAttributes: [{ key: TenantId, value: String(tenantId) }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    },
  ];
}
