/**
 * The risk castle's seven walls: each one's outcome in the latest decision that reached it and its
 * last firing (GET …/risk-walls), re-read when the `gates` or `decisions` channel announces one.
 */
import { useState } from 'preact/hooks';
import { WALLS } from '../../../domain/risk/types';
import { get } from '../api';
import type { LiveFeed } from '../live';
import { useLiveReload } from '../reload';
import type { WallState } from '../types';
import { Panel } from '../panel';
import { label, time } from '../format';

export function WallsPanel({ feed, slug }: { feed: LiveFeed; slug: string }) {
  const [walls, setWalls] = useState<Record<string, WallState>>({});
  useLiveReload(
    feed,
    ['gates', 'decisions'],
    () =>
      get('/t/{slug}/api/v1/risk-walls', { slug }).then((a) =>
        setWalls(Object.fromEntries((a as { walls: WallState[] }).walls.map((w) => [w.wall, w]))),
      ),
    [slug],
  );
  return (
    <Panel id="walls" title="Risk walls">
      <ul class="walls">
        {WALLS.map((w) => {
          const s = walls[w];
          const fired = s?.current && !s.current.pass;
          return (
            <li key={w} class={fired ? 'fired' : 'quiet'} data-testid="wall" data-wall={w}>
              <span class="wall-name">{label(w)}</span>
              <span class="wall-state">
                {!s?.current ? 'not reached yet' : fired ? `firing: ${s.current.reasonCode}` : 'passing'}
                {s?.lastFiring && (
                  <span class="muted small">
                    {' '}
                    · last fired {time(s.lastFiring.at)} ({s.lastFiring.reasonCode})
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ul>
    </Panel>
  );
}
