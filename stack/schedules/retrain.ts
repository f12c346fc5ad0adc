/**
 * The weekly retrain schedules: one Temporal Schedule per model type, Sundays between 03:00
 * and 06:30 Asia/Kolkata, one type per 20-minute slot, overlapping runs skipped. Each fires
 * scheduledRetrain on the ml queue, which retrains the global model and every tenant variant.
 *
 * Why 20 minutes: one scope's retrain takes seconds to about half a minute here (the slowest,
 * signal_stack, ~20 s), so a slot holds the global model and dozens of tenant variants; ten slots
 * fit the window (eight types today) and the window stays where it was, well clear of Monday's open.
 * A type still running when its next type's slot starts only shares the ml worker with it.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { ModelType } from '../../contracts/search-attributes';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { MODEL_TYPE_IDS, type ModelTypeId } from '../../ml/model-types';

export const RETRAIN_TIMEZONE = 'Asia/Kolkata';
export const RETRAIN_WINDOW = { startMinute: 3 * 60, endMinute: 6 * 60 + 30, slotMinutes: 20 } as const;

export const retrainScheduleId = (typeId: string) => `retrain/${typeId}`;

/** Slot start (minutes after midnight IST) for the i-th type; every slot ends inside the window. */
export function retrainSlot(index: number): { hour: number; minute: number } {
  const start = RETRAIN_WINDOW.startMinute + index * RETRAIN_WINDOW.slotMinutes;
  if (start + RETRAIN_WINDOW.slotMinutes > RETRAIN_WINDOW.endMinute) {
    throw new RangeError(
      `retrain slot ${index} starts at ${Math.floor(start / 60)}:${String(start % 60).padStart(2, '0')}, ` +
        'outside the Sunday 03:00–06:30 IST window: too many model types for one-per-slot',
    );
  }
  return { hour: Math.floor(start / 60), minute: start % 60 };
}

export function retrainSchedules(types: readonly ModelTypeId[] = MODEL_TYPE_IDS): ScheduleOptions[] {
  return types.map((typeId, i) => {
    const { hour, minute } = retrainSlot(i);
    return {
      scheduleId: retrainScheduleId(typeId),
      spec: {
        calendars: [{ dayOfWeek: 'SUNDAY', hour, minute, comment: `weekly retrain of ${typeId}` }],
        timezone: RETRAIN_TIMEZONE,
      },
      action: {
        type: 'startWorkflow',
        workflowType: 'scheduledRetrain',
        taskQueue: TASK_QUEUES.ml,
        workflowId: `scheduled-retrain/${typeId}`,
        args: [{ typeId }],
        workflowExecutionTimeout: '4 hours',
        typedSearchAttributes: [{ key: ModelType, value: typeId }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour', pauseOnFailure: false },
    };
  });
}
