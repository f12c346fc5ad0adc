/**
 * The weekly factor evaluation: Saturdays 02:00 IST (after the week's last session, before the
 * Sunday retrains read the pool), on the ml queue. The run picks its week from its start time.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { TASK_QUEUES } from '../../contracts/task-queues';

export const FACTOR_EVALUATION_SCHEDULE_ID = 'factor-evaluation/weekly';

export function factorEvaluationSchedules(): ScheduleOptions[] {
  return [
    {
      scheduleId: FACTOR_EVALUATION_SCHEDULE_ID,
      spec: {
        calendars: [{ dayOfWeek: 'SATURDAY', hour: 2, minute: 0, comment: 'weekly factor IC and pool review' }],
        timezone: 'Asia/Kolkata',
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'factorEvaluation',
        taskQueue: TASK_QUEUES.ml,
        workflowId: 'factor-evaluation/scheduled',
        args: [{}],
        workflowExecutionTimeout: '2 hours',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '6 hours', pauseOnFailure: false },
    },
  ];
}
