/**
 * Where a workflow's time goes, read from its history: per workflow, the time each of its
 * workflow tasks (numbered) and each activity type spent waiting in a task queue (scheduled →
 * started) and running (started → completed; a workflow task's run includes its local
 * activities). Printed as the median over workflows, so a benchmark shows which seam to work on.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

interface Phase {
  count: number;
  queueMs: number;
  runMs: number;
}

const ms = (e: Event | undefined) => {
  const t = e?.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + Math.round(Number(t.nanos ?? 0) / 1e6) : NaN;
};

/** Phase name → totals for one history. */
export function historyPhases(events: readonly Event[]): Map<string, Phase> {
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const phases = new Map<string, Phase>();
  const add = (name: string, scheduled: Event | undefined, started: Event | undefined, done: Event) => {
    const p = phases.get(name) ?? { count: 0, queueMs: 0, runMs: 0 };
    p.count++;
    p.queueMs += ms(started) - ms(scheduled);
    p.runMs += ms(done) - ms(started);
    phases.set(name, p);
  };
  let tasks = 0;
  for (const e of events) {
    const wft = e.workflowTaskCompletedEventAttributes;
    if (wft) {
      // Numbered: the first and last tasks are where a workflow's local activities run.
      const started = byId.get(Number(wft.startedEventId));
      add(`workflow task ${++tasks}`, byId.get(Number(wft.scheduledEventId)), started, e);
    }
    const act = e.activityTaskCompletedEventAttributes;
    if (act) {
      const scheduled = byId.get(Number(act.scheduledEventId));
      const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity';
      add(type, scheduled, byId.get(Number(act.startedEventId)), e);
    }
  }
  return phases;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
};

/** Median per workflow of each phase's count, queue and run time, one line per phase. */
export async function formatPhases(client: Client, workflowIds: readonly string[]): Promise<string> {
  const all = await Promise.all(
    workflowIds.map(async (id) => historyPhases((await client.workflow.getHandle(id).fetchHistory()).events ?? [])),
  );
  const names = [...new Set(all.flatMap((p) => [...p.keys()]))];
  return names
    .map((name) => {
      const ps = all.map((p) => p.get(name) ?? { count: 0, queueMs: 0, runMs: 0 });
      const f = (x: number) => x.toFixed(0).padStart(5);
      return (
        `  ${name.padEnd(22)} ×${median(ps.map((p) => p.count))}  ` +
        `queued ${f(median(ps.map((p) => p.queueMs)))} ms  running ${f(median(ps.map((p) => p.runMs)))} ms`
      );
    })
    .join('\n');
}
