/**
 * `qs schedules apply` on the real Temporal server: applying twice leaves one schedule per
 * model type, each on its own Sunday slot between 03:00 and 06:30 Asia/Kolkata, overlap skip;
 * a changed definition is updated in place, not duplicated.
 */
import { workflowHandle } from '../../runtime/workflow-client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createMlModelActivities } from '../../activities/ml-models';
import { createRetrainActivities } from '../../activities/retrain';
import { applySchedules } from '../../stack/schedules/apply';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { maybeRecordHistory } from '../support/record-history';
import { MODEL_TYPE_IDS } from '../../ml/model-types';
import { retrainScheduleId, retrainSchedules } from '../../stack/schedules/retrain';
import { testClient, testPool, testWorker } from '../support/env';

describe('retrain schedules', () => {
  it('apply is idempotent: one schedule per slot with the right calendar', async () => {
    const client = await testClient();
    const defs = retrainSchedules();
    try {
      const first = await applySchedules(client, defs);
      expect(first.map((a) => a.result)).toEqual(MODEL_TYPE_IDS.map(() => 'created'));
      const second = await applySchedules(client, defs);
      expect(second.map((a) => a.result)).toEqual(MODEL_TYPE_IDS.map(() => 'unchanged'));

      const ids: string[] = [];
      for await (const s of client.schedule.list()) if (s.scheduleId.startsWith('retrain/')) ids.push(s.scheduleId);
      expect(ids.sort()).toEqual(MODEL_TYPE_IDS.map(retrainScheduleId).sort());

      const slots: string[] = [];
      for (const typeId of MODEL_TYPE_IDS) {
        const d = await client.schedule.getHandle(retrainScheduleId(typeId)).describe();
        expect(d.spec.timezone).toBe('Asia/Kolkata');
        expect(d.spec.calendars).toHaveLength(1);
        const cal = d.spec.calendars![0]!;
        expect(cal.dayOfWeek).toEqual([{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }]);
        const hour = (cal.hour as Array<{ start: number }>)[0]!.start;
        const minute = (cal.minute as Array<{ start: number }>)[0]!.start;
        expect(hour * 60 + minute).toBeGreaterThanOrEqual(3 * 60);
        expect(hour * 60 + minute + 30).toBeLessThanOrEqual(6 * 60 + 30);
        slots.push(`${hour}:${minute}`);
        expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
        expect(d.action).toMatchObject({
          type: 'startWorkflow',
          workflowType: 'scheduledRetrain',
          taskQueue: 'ml',
          args: [{ typeId }],
        });
        // The next run is a Sunday, at the slot's IST time.
        const next = d.info.nextActionTimes[0]!;
        const ist = new Date(next.getTime() + 330 * 60_000);
        expect(ist.getUTCDay()).toBe(0);
        expect(`${ist.getUTCHours()}:${ist.getUTCMinutes()}`).toBe(`${hour}:${minute}`);
      }
      expect(new Set(slots).size).toBe(MODEL_TYPE_IDS.length); // one model per slot

      // A changed definition updates the existing schedule rather than adding one.
      const moved = defs.map((d, i) =>
        i === 0 ? { ...d, spec: { ...d.spec, calendars: [{ dayOfWeek: 'SUNDAY' as const, hour: 6, minute: 0 }] } } : d,
      );
      const third = await applySchedules(client, moved);
      expect(third.filter((a) => a.result === 'updated').map((a) => a.scheduleId)).toEqual([
        retrainScheduleId(MODEL_TYPE_IDS[0]!),
      ]);
      const d0 = await client.schedule.getHandle(retrainScheduleId(MODEL_TYPE_IDS[0]!)).describe();
      expect((d0.spec.calendars![0]!.hour as Array<{ start: number }>)[0]!.start).toBe(6);

      // Triggered now, a schedule runs scheduledRetrain, which retrains the type as a child
      // WeeklyRetrain under its business id for the data version of the run's date.
      const pool = testPool('app');
      const worker = await testWorker({
        taskQueue: TASK_QUEUES.ml,
        identity: 'ml@schedules-test',
        activities: {
          ...createRetrainActivities({ pool, workerId: 'ml@schedules-test' }),
          ...createMlModelActivities({ pool, workerId: 'ml@schedules-test', cache: null }),
        },
      });
      await worker.runUntil(async () => {
        const handle = client.schedule.getHandle(retrainScheduleId('slippage_coefficients'));
        await handle.trigger();
        let workflowId: string | undefined;
        for (let i = 0; i < 100 && !workflowId; i++) {
          workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
          if (!workflowId) await new Promise((r) => setTimeout(r, 100));
        }
        expect(workflowId).toMatch(/^scheduled-retrain\/slippage_coefficients/);
        const result = await workflowHandle(client, 'scheduledRetrain', workflowId!).result();
        expect(result.typeId).toBe('slippage_coefficients');
        expect(result.dataVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(result.runs[0]).toMatchObject({
          scope: 'global',
          workflowId: `retrain/slippage_coefficients/global/${result.dataVersion}`,
        });
        expect(['promoted', 'staged', 'already_production', 'already_run']).toContain(result.runs[0]!.result);
        await maybeRecordHistory(client, workflowId!, 'scheduled-retrain');
      });
    } finally {
      for (const d of defs)
        await client.schedule
          .getHandle(d.scheduleId)
          .delete()
          .catch(() => undefined);
    }
  });
});
