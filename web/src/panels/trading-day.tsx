/**
 * The trading day: its state (ACTIVE, REDUCING, HALTED; paused or running), phase, next tick, counts
 * and P&L, and its controls, each behind a confirmation and shown only to the roles the API lets use
 * it (x-roles) and only when the day's state admits it. The status is re-read when the
 * `trading-state` channel announces a change, and every few seconds while the day runs.
 */
import { useEffect, useState } from 'preact/hooks';
import { useReload } from '../reload';
import type { DayStatus } from '../../../contracts/trading-day';
import type { LiveFeed } from '../live';
import { ApiError, get, post, type PathOf } from '../api';
import { may } from '../roles';
import type { Me } from '../types';
import { Confirm } from '../confirm';
import { Empty, Panel } from '../panel';
import { rupees, signOf } from '../format';

interface DayAnswer {
  date: string;
  workflowId: string;
  running: boolean;
  status: DayStatus | null;
  summary: { status: string; pnl: string; decisions: number; trades: number; reason: string | null } | null;
}

type Verb = 'pause' | 'resume' | 'reduce' | 'halt' | 'flatten';

const CONTROLS: Record<Verb, { path: PathOf<'post'>; label: string; title: string; body: string; danger?: boolean }> = {
  pause: {
    path: '/t/{slug}/api/v1/trading-day/pause',
    label: 'Pause',
    title: 'Pause the day?',
    body: 'No decisions until it is resumed; an accelerated day stands still.',
  },
  resume: {
    path: '/t/{slug}/api/v1/trading-day/resume',
    label: 'Resume',
    title: 'Resume the day?',
    body: 'Back to ACTIVE and running: new entries are allowed again.',
  },
  reduce: {
    path: '/t/{slug}/api/v1/trading-day/reduce',
    label: 'Reduce only',
    title: 'Reduce only?',
    body: 'Only exits and cancels from now on: no new entries.',
  },
  halt: {
    path: '/t/{slug}/api/v1/trading-day/halt',
    label: 'Halt',
    title: 'Halt the day?',
    body: 'Nothing new for the rest of the day (cancels still go). Only an operator can lift it.',
    danger: true,
  },
  flatten: {
    path: '/t/{slug}/api/v1/trading-day/flatten',
    label: 'Flatten',
    title: 'Flatten every position?',
    body: 'Closing orders go out now for every open position; the page waits until they have finished.',
    danger: true,
  },
};

/** Which controls the day's state admits (the workflow's validators have the last word). */
function admitted(s: DayStatus): Verb[] {
  if (s.phase === 'closing' || s.phase === 'closed') return [];
  const out: Verb[] = [];
  if (!s.paused) out.push('pause');
  if (s.paused || s.state !== 'ACTIVE') out.push('resume');
  if (s.state === 'ACTIVE') out.push('reduce');
  if (s.state !== 'HALTED') out.push('halt');
  if (s.positions.some((p) => p.quantity !== 0)) out.push('flatten');
  return out;
}

export function TradingDayPanel({ feed, me, slug, date }: { feed: LiveFeed; me: Me; slug: string; date?: string }) {
  const [day, setDay] = useState<DayAnswer | null | undefined>(undefined);
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState<Verb | null>(null);
  const load = useReload(() =>
    get('/t/{slug}/api/v1/trading-day', { slug, query: date ? { date } : {} }).then(
      (a) => {
        setDay(a as DayAnswer);
        setError(undefined);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) setDay(null);
        else setError(e instanceof Error ? e.message : String(e));
      },
    ),
  );
  useEffect(() => {
    load();
    // A change of state is announced; a day that starts or ticks shows up as decisions.
    const offs = [feed.watch('trading-state', load), feed.watch('decisions', load)];
    return () => offs.forEach((off) => off());
  }, [feed, slug, date]);
  useEffect(() => {
    const timer = setInterval(load, day?.running ? 3_000 : 15_000);
    return () => clearInterval(timer);
  }, [day?.running]);

  const s = day?.status;
  const verbs = s && day?.running ? admitted(s).filter((v) => may(me.user.role, 'post', CONTROLS[v].path)) : [];
  return (
    <Panel id="day" title={`Trading day${day ? ` ${day.date}` : date ? ` ${date}` : ''}`}>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {day === undefined && !error && <Empty>Loading…</Empty>}
      {day === null && <Empty>No trading day {date ? `on ${date}` : 'today'} yet.</Empty>}
      {day && (
        <>
          <p class={`state-badge ${dayClass(day)}`} data-testid="day-state">
            {s && day.running
              ? `${s.state}${s.paused ? ' · paused' : ''} · ${s.phase.replace('_', '-')}`
              : `Over: ${day.summary?.status ?? 'ended'}`}
          </p>
          <dl class="facts">
            {s?.stateReason && (
              <>
                <dt>Why</dt>
                <dd>{s.stateReason}</dd>
              </>
            )}
            <dt>P&amp;L</dt>
            <dd class={signOf(s?.pnl ?? day.summary?.pnl) < 0 ? 'neg' : ''}>{rupees(s?.pnl ?? day.summary?.pnl)}</dd>
            <dt>Decisions</dt>
            <dd>
              {s?.decisions ?? day.summary?.decisions ?? 0} · trades {s?.trades ?? day.summary?.trades ?? 0}
            </dd>
            {s && day.running && (
              <>
                <dt>Next tick</dt>
                <dd>{s.nextTick ?? '—'}</dd>
                <dt>Cadence</dt>
                <dd>{s.cadenceMinutes} min</dd>
              </>
            )}
          </dl>
          {verbs.length > 0 && (
            <div class="controls" role="group" aria-label="Trading day controls">
              {verbs.map((v) => (
                <button
                  key={v}
                  type="button"
                  class={CONTROLS[v].danger ? 'danger' : ''}
                  data-control={v}
                  onClick={() => setPending(v)}
                >
                  {CONTROLS[v].label}
                </button>
              ))}
            </div>
          )}
        </>
      )}
      {pending && (
        <Confirm
          title={CONTROLS[pending].title}
          confirmLabel={CONTROLS[pending].label}
          danger={CONTROLS[pending].danger}
          reason={CONTROLS[pending].danger}
          onClose={() => setPending(null)}
          onConfirm={async (reason) => {
            const body = { ...(date ? { date } : {}), ...(reason ? { reason } : {}) };
            await post(CONTROLS[pending].path, { slug, body });
            await load();
          }}
        >
          <p>{CONTROLS[pending].body}</p>
        </Confirm>
      )}
    </Panel>
  );
}

function dayClass(day: DayAnswer): string {
  const s = day.status;
  if (!s || !day.running) return 'over';
  return s.state === 'HALTED' ? 'halted' : s.state === 'REDUCING' || s.paused ? 'reducing' : 'active';
}
