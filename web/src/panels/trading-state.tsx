/**
 * The tenant's trading state: kill switches (anyone may stop new risk; clearing one is for the roles
 * the API allows), the last reconciliation and the trading day's latest change, live.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LiveFeed } from '../live';
import { useChannel } from '../live';
import { get, post } from '../api';
import { may } from '../roles';
import type { DayChangeEvent, KillSwitch, Me, TradingStateSnapshot } from '../types';
import { Confirm } from '../confirm';
import { Panel } from '../panel';
import { label, time } from '../format';

interface View extends TradingStateSnapshot {
  day: DayChangeEvent | null;
}

type Pending = { kind: 'set' } | { kind: 'clear'; sw: KillSwitch } | null;

export function TradingStatePanel({ feed, me, slug }: { feed: LiveFeed; me: Me; slug: string }) {
  const view = useChannel<View>(
    feed,
    'trading-state',
    { killSwitches: [], reconciliation: null, day: null },
    (state, prev) => ({ ...((state as TradingStateSnapshot | null) ?? prev), day: prev.day }),
    (v, e) => {
      const p = e.payload as Partial<DayChangeEvent> & { killSwitches?: KillSwitch[] };
      if (p.kind === 'day_change' || p.kind === 'day_summary') return { ...v, day: p as DayChangeEvent };
      if (p.killSwitches) return { ...v, killSwitches: p.killSwitches };
      return v;
    },
  );
  // Kill switches change through this page or the CLI: the page re-reads them after its own change.
  const [local, setLocal] = useState<KillSwitch[] | null>(null);
  const switches = (local ?? view.killSwitches).filter((s) => s.active);
  const [pending, setPending] = useState<Pending>(null);
  const role = me.user.role;
  useEffect(() => setLocal(null), [view.killSwitches]);
  const refresh = async () => {
    const answer = (await get('/t/{slug}/api/v1/kill-switches', { slug })) as { killSwitches: KillSwitch[] };
    setLocal(answer.killSwitches);
  };
  const halted = switches.some((s) => s.scope === 'tenant');
  const recon = view.reconciliation;
  return (
    <Panel id="state" title="Kill switch">
      <p class={`state-badge ${halted ? 'halted' : 'active'}`} data-testid="trading-state">
        {halted ? 'New risk stopped (kill switch)' : 'Accepting new risk'}
      </p>
      <dl class="facts">
        <dt>Reconciliation</dt>
        <dd>{!recon ? 'none yet' : recon.clean ? 'clean' : `not clean: ${recon.unresolved.length} unresolved`}</dd>
        <dt>Trading day</dt>
        <dd data-testid="day-last-change">{view.day ? dayLine(view.day) : 'no change today'}</dd>
      </dl>
      <h3>Kill switches</h3>
      {switches.length === 0 ? (
        <p class="muted">None active.</p>
      ) : (
        <ul class="switches">
          {switches.map((s) => (
            <li key={`${s.scope}/${s.target}`}>
              <strong>{label(s.scope)}</strong> {s.target !== '*' && <span class="mono">{s.target}</span>} — {s.reason}
              {may(role, 'post', '/t/{slug}/api/v1/kill-switches/clear') && (
                <button type="button" class="small" onClick={() => setPending({ kind: 'clear', sw: s })}>
                  Clear
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {may(role, 'post', '/t/{slug}/api/v1/kill-switches/set') && (
        <button type="button" class="danger" onClick={() => setPending({ kind: 'set' })}>
          Kill switch: stop new risk
        </button>
      )}
      {pending?.kind === 'set' && (
        <Confirm
          title="Stop all new risk?"
          confirmLabel="Stop new risk"
          danger
          reason
          onClose={() => setPending(null)}
          onConfirm={async (reason) => {
            await post('/t/{slug}/api/v1/kill-switches/set', { slug, body: { scope: 'tenant', target: '*', reason } });
            await refresh();
          }}
        >
          <p>The tenant kill switch stops every new entry at once. Open positions stay; closing orders still go out.</p>
        </Confirm>
      )}
      {pending?.kind === 'clear' && (
        <Confirm
          title="Clear the kill switch?"
          confirmLabel="Clear it"
          reason
          onClose={() => setPending(null)}
          onConfirm={async (reason) => {
            const { scope, target } = pending.sw;
            await post('/t/{slug}/api/v1/kill-switches/clear', { slug, body: { scope, target, reason } });
            await refresh();
          }}
        >
          <p>
            New risk may flow again for {label(pending.sw.scope)} {pending.sw.target}.
          </p>
        </Confirm>
      )}
    </Panel>
  );
}

function dayLine(d: DayChangeEvent): string {
  const day = d.day as { kind?: string; state?: string; status?: string; by?: string; reason?: string | null };
  if (d.kind === 'day_summary') return `day ended: ${day.status ?? 'done'} · ${time(d.at)}`;
  const by = day.by ? ` by ${day.by}` : '';
  const why = day.reason ? ` (${day.reason})` : '';
  return `${day.kind ?? 'change'}${by}${why} · ${time(d.at)}`;
}
