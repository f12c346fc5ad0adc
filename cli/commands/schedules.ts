/**
 * `qs schedules apply | list`: the platform's Temporal Schedules, created or updated
 * idempotently from definitions. Other rooms add their definitions to SCHEDULE_SOURCES (one
 * line each: reconciliation, hedge roll, ...). A schedule whose definition has not changed is
 * left alone; its definition digest lives in the schedule's note.
 */
import { createHash } from 'node:crypto';
import { Command } from 'commander';
import { ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';
import { retrainSchedules } from '../../ml/schedules';
import { reconciliationSchedules } from '../../activities/reconciliation-schedules';
import { listTenants } from '../../db/tenants';
import { withAppPool, withTemporal } from '../context';

/** What a schedule source may need to know: today, the active tenants. */
export interface ScheduleContext {
  tenantIds: readonly number[];
}

/** Every schedule the platform runs, by source. */
export const SCHEDULE_SOURCES: Array<{ name: string; schedules: (ctx: ScheduleContext) => ScheduleOptions[] }> = [
  { name: 'ml retrain', schedules: () => retrainSchedules() },
  { name: 'reconciliation', schedules: (ctx) => ctx.tenantIds.flatMap((t) => reconciliationSchedules(t)) },
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

/** The context from the running stack's database: every active trading tenant. */
async function scheduleContext(): Promise<ScheduleContext> {
  return withAppPool(async (pool) => ({
    tenantIds: (await listTenants(pool)).filter((t) => t.status === 'active').map((t) => t.id),
  }));
}

function describeSpec(def: ScheduleOptions): string {
  const cals = def.spec.calendars ?? [];
  const c = cals[0];
  if (!c) return JSON.stringify(def.spec);
  const tz = def.spec.timezone ?? 'UTC';
  if (
    cals.length === 1 &&
    typeof c.dayOfWeek === 'string' &&
    typeof c.hour === 'number' &&
    typeof c.minute === 'number'
  ) {
    return `${c.dayOfWeek} ${String(c.hour).padStart(2, '0')}:${String(c.minute).padStart(2, '0')} ${tz}`;
  }
  // Ranges (e.g. every 5 minutes in market hours): the calendars' own comments say it best.
  return `${cals.map((x) => x.comment ?? JSON.stringify(x)).join(', ')} (${tz})`;
}

export function register(program: Command): void {
  const schedules = program
    .command('schedules')
    .description('Temporal Schedules: weekly retrains (and more as they are added)');
  schedules
    .command('apply')
    .description('create or update every platform schedule (idempotent)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const defs = allSchedules(await scheduleContext());
      const applied = await withTemporal((client) => applySchedules(client, defs));
      if (opts.json)
        return void console.log(JSON.stringify(applied.map((a, i) => ({ ...a, when: describeSpec(defs[i]!) }))));
      for (const [i, a] of applied.entries())
        console.log(`${a.result.padEnd(9)} ${a.scheduleId.padEnd(34)} ${describeSpec(defs[i]!)}`);
    });
  schedules
    .command('list')
    .description('the schedules this platform defines and whether they exist on the server')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const defs = allSchedules(await scheduleContext());
      const rows = await withTemporal(async (client) =>
        Promise.all(
          defs.map(async (d) => {
            try {
              const desc = await client.schedule.getHandle(d.scheduleId).describe();
              return {
                scheduleId: d.scheduleId,
                when: describeSpec(d),
                exists: true,
                paused: desc.state.paused,
                nextRun: desc.info.nextActionTimes[0]?.toISOString() ?? null,
              };
            } catch (err) {
              if (err instanceof ScheduleNotFoundError)
                return { scheduleId: d.scheduleId, when: describeSpec(d), exists: false, paused: false, nextRun: null };
              throw err;
            }
          }),
        ),
      );
      if (opts.json) return void console.log(JSON.stringify(rows));
      for (const r of rows)
        console.log(
          `${r.scheduleId.padEnd(34)} ${r.when.padEnd(28)} ${r.exists ? (r.paused ? 'paused' : `next ${r.nextRun}`) : 'not applied (qs schedules apply)'}`,
        );
    });
}
