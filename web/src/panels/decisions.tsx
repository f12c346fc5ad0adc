/**
 * The decision feed: every decision, abstention and refusal, newest first. The list comes from the
 * API on each (re)connection; new decisions arrive on the `decisions` channel, and so does each later
 * change of a decision's status (trade → filled, an exit's placing → filled), which updates its row in
 * place. An entry whose exit (`<entry>-exit`, as the trading day names it) filled shows as closed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LiveFeed } from '../live';
import { get } from '../api';
import type { DecisionEvent, DecisionRow } from '../types';
import { Empty, Panel } from '../panel';
import { label, rupees, signOf, time } from '../format';
import { closedEntries, foldDecisionEvent } from '../decision-feed';

export function DecisionsPanel({ feed, slug, onOpen }: { feed: LiveFeed; slug: string; onOpen: (id: string) => void }) {
  const [rows, setRows] = useState<DecisionRow[] | null>(null);
  useEffect(
    () =>
      feed.watch('decisions', (m) => {
        if (m.kind === 'state')
          void get('/t/{slug}/api/v1/decisions', { slug, query: { limit: 50 } }).then(
            (a) => setRows((a as { decisions: DecisionRow[] }).decisions),
            () => setRows((r) => r ?? []),
          );
        else setRows((r) => foldDecisionEvent(r ?? [], m.event.payload as DecisionEvent));
      }),
    [feed, slug],
  );
  const closed = closedEntries(rows ?? []);
  return (
    <Panel id="decisions" title="Decisions" wide>
      {rows === null ? (
        <Empty>Loading…</Empty>
      ) : rows.length === 0 ? (
        <Empty>No decisions yet today.</Empty>
      ) : (
        <ol class="feed" aria-live="polite" aria-relevant="additions">
          {rows.map((d) => (
            <li key={d.id} data-testid="decision" data-status={d.status} data-id={d.id}>
              <button type="button" class="feed-item" onClick={() => onOpen(d.id)}>
                <span class={`pill outcome-${d.status}`}>{d.status}</span>
                {closed.has(d.id) && <span class="pill outcome-closed">closed</span>}
                <span class="what">
                  {d.lots > 0 ? `${label(d.structure)} × ${d.lots}` : label(d.structure || 'no trade')}{' '}
                  <span class="muted">{d.instrument}</span>
                </span>
                <span class={`n ev ${signOf(d.netEv) < 0 ? 'neg' : ''}`}>{d.netEv ? `EV ${rupees(d.netEv)}` : ''}</span>
                <span class="muted when">{time(d.createdAt)}</span>
                <span class="sr-only">: open its why</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
