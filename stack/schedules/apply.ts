/**
 * The platform's Temporal Schedules, created or updated idempotently from definitions. Other
 * rooms add their definitions to SCHEDULE_SOURCES (one line each: reconciliation, hedge roll,
 * ...). A schedule whose definition has not changed is left alone; its definition digest lives
 * in the schedule's note.
 */
import { createHash } from 'node:crypto';
import { ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';
import { retrainSchedules } from './retrain';
import { reconciliationSchedules } from './reconciliation';
import { hedgeSchedules } from './hedge';
import { tradingDaySchedules } from './trading-day';
import { factorEvaluationSchedules } from './factor-evaluation';
import { notificationSchedules } from './notifications';

/** What a schedule source may need to know: today, the active tenants. */
export interface ScheduleContext {
  tenantIds: readonly number[];
  /** Active tenants with hedging on (hedge_settings). */
  hedgeTenantIds?: readonly number[];
}

/** Every schedule the platform runs, by source. */
export const SCHEDULE_SOURCES: Array<{ name: string; schedules: (ctx: ScheduleContext) => ScheduleOptions[] }> = [
  { name: 'ml retrain', schedules: () => retrainSchedules() },
  { name: 'reconciliation', schedules: (ctx) => ctx.tenantIds.flatMap((t) => reconciliationSchedules(t)) },
  { name: 'tail hedge', schedules: (ctx) => (ctx.hedgeTenantIds ?? []).flatMap((t) => hedgeSchedules(t)) },
  { name: 'trading day', schedules: (ctx) => ctx.tenantIds.flatMap((t) => tradingDaySchedules(t)) },
  { name: 'factor evaluation', schedules: () => factorEvaluationSchedules() },
  { name: 'telegram notifications', schedules: () => notificationSchedules() },
];

export interface AppliedSchedule {
  readonly scheduleId: string;
  readonly result: 'created' | 'updated' | 'unchanged';
}

const NOTE_PREFIX = 'qs schedules apply; definition ';

export function definitionDigest(def: ScheduleOptions): string {
  const { spec, action, policies } = def;
  return createHash('sha256')
    .update(
      JSON.stringify({
        spec,
        action: { ...action, typedSearchAttributes: JSON.stringify(action.typedSearchAttributes ?? null) },
        policies,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

export async function applySchedules(client: Client, defs: readonly ScheduleOptions[]): Promise<AppliedSchedule[]> {
  const out: AppliedSchedule[] = [];
  for (const def of defs) {
    const digest = definitionDigest(def);
    const note = `${NOTE_PREFIX}${digest}`;
    const handle = client.schedule.getHandle(def.scheduleId);
    let existingNote: string | undefined;
    let exists = true;
    try {
      existingNote = (await handle.describe()).state.note;
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      exists = false;
    }
    if (!exists) {
      try {
        await client.schedule.create({ ...def, state: { ...def.state, note } });
        out.push({ scheduleId: def.scheduleId, result: 'created' });
        continue;
      } catch (err) {
        // Another apply created it between our describe and create: fall through to update.
        if (!String((err as Error).message).match(/already/i)) throw err;
      }
    }
    if (existingNote === note) {
      out.push({ scheduleId: def.scheduleId, result: 'unchanged' });
      continue;
    }
    await handle.update((prev) => ({
      ...prev,
      spec: def.spec,
      action: def.action,
      policies: { ...prev.policies, ...def.policies },
      state: { ...prev.state, note },
    }));
    out.push({ scheduleId: def.scheduleId, result: 'updated' });
  }
  return out;
}

export function allSchedules(ctx: ScheduleContext): ScheduleOptions[] {
  return SCHEDULE_SOURCES.flatMap((s) => s.schedules(ctx));
}
