/**
 * The Telegram notifier's sweep, every minute: link codes sent to the bot, then every link's new
 * audit events delivered (NotificationSweep on the trading queue). A sweep with no bot configured
 * returns at once; a sweep still running when the next is due makes it skip.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { TASK_QUEUES } from '../../contracts/task-queues';

export const NOTIFICATION_SWEEP_SCHEDULE_ID = 'notification-sweep/every-minute';

export function notificationSchedules(): ScheduleOptions[] {
  return [
    {
      scheduleId: NOTIFICATION_SWEEP_SCHEDULE_ID,
      spec: {
        calendars: [{ comment: 'every minute', hour: { start: 0, end: 23 }, minute: { start: 0, end: 59 } }],
        timezone: 'Asia/Kolkata',
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'notificationSweep',
        taskQueue: TASK_QUEUES.trading,
        workflowId: 'notification-sweep/scheduled',
        args: [],
        workflowExecutionTimeout: '10 minutes',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute', pauseOnFailure: false },
    },
  ];
}
