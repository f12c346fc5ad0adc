/** `qs schedules apply | list`: the platform's Temporal Schedules (stack/schedules/apply.ts). */
import { printText } from '../output';
import { Command } from 'commander';
import { ScheduleNotFoundError, type ScheduleOptions } from '@temporalio/client';
import { allSchedules, applySchedules, type ScheduleContext } from '../../stack/schedules/apply';
import { listTenants } from '../../db/tenants';
import { hedgingTenantIds } from '../../db/hedging';
import { withAppPool, withTemporal } from '../context';

/** The context from the running stack's database: every active trading tenant. */
async function scheduleContext(): Promise<ScheduleContext> {
  return withAppPool(async (pool) => ({
    tenantIds: (await listTenants(pool)).filter((t) => t.status === 'active').map((t) => t.id),
    hedgeTenantIds: await hedgingTenantIds(pool),
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
        printText(`${a.result.padEnd(9)} ${a.scheduleId.padEnd(34)} ${describeSpec(defs[i]!)}`);
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
        printText(
          `${r.scheduleId.padEnd(34)} ${r.when.padEnd(28)} ` +
            (r.exists ? (r.paused ? 'paused' : `next ${r.nextRun}`) : 'not applied (qs schedules apply)'),
        );
    });
}
