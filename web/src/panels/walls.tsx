/** The risk castle's seven walls: whether each has fired today and its last firing, live from `gates`. */
import { WALLS, type WallName } from '../../../domain/risk/types';
import type { LiveFeed } from '../live';
import { useChannel } from '../live';
import type { GateFiring } from '../types';
import { Panel } from '../panel';
import { label, time } from '../format';

type Last = Partial<Record<WallName, { reasonCode: string; at: string; decisionId: string; count: number }>>;

export function WallsPanel({ feed }: { feed: LiveFeed }) {
  const last = useChannel<Last>(
    feed,
    'gates',
    {},
    (_state, prev) => prev,
    (v, e) => {
      const g = e.payload as GateFiring;
      const next = { ...v };
      for (const f of g.fired)
        next[f.wall] = {
          reasonCode: f.reasonCode,
          at: g.at,
          decisionId: g.decisionId,
          count: (v[f.wall]?.count ?? 0) + 1,
        };
      return next;
    },
  );
  return (
    <Panel id="walls" title="Risk walls">
      <ul class="walls">
        {WALLS.map((w) => {
          const f = last[w];
          return (
            <li key={w} class={f ? 'fired' : 'quiet'} data-testid="wall" data-wall={w}>
              <span class="wall-name">{label(w)}</span>
              <span class="wall-state">{f ? `fired ×${f.count}: ${f.reasonCode} · ${time(f.at)}` : 'not fired'}</span>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
