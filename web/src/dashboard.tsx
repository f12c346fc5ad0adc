/**
 * A tenant's dashboard: trading state and kill switch, the P&L curve, the decision feed (each
 * decision opens its why), the risk walls, positions, the order blotter and the models serving.
 * One Socket.IO connection feeds every panel; a banner says when it is down.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LiveFeed, useLinkStatus, type LinkStatus } from './live';
import type { Me } from './types';
import { TradingStatePanel } from './panels/trading-state';
import { TradingDayPanel } from './panels/trading-day';
import { PnlPanel } from './panels/pnl';
import { DecisionsPanel } from './panels/decisions';
import { DecisionWhy } from './panels/decision-why';
import { WallsPanel } from './panels/walls';
import { PositionsPanel } from './panels/positions';
import { OrdersPanel } from './panels/orders';
import { ModelsPanel } from './panels/models';
import { LogoutButton } from './logout';

const LINK_TEXT: Record<LinkStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Disconnected: reconnecting',
  refused: 'Live updates refused: log in again',
};

/** `?date=YYYY-MM-DD` shows that trading day; without it, today's (IST, as the API reckons it). */
const dayParam = () => new URLSearchParams(location.search).get('date')?.match(/^\d{4}-\d{2}-\d{2}$/)?.[0];

export function Dashboard({ me, slug }: { me: Me; slug: string }) {
  const feed = useMemo(() => new LiveFeed(slug), [slug]);
  useEffect(() => () => feed.close(), [feed]);
  const link = useLinkStatus(feed);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    document.title = `${me.tenant.name} · Quantsentinel`;
  }, [me.tenant.name]);
  return (
    <>
      <a class="skip" href="#decisions">
        Skip to decisions
      </a>
      <header class="top">
        <div>
          <p class="brand">Quantsentinel</p>
          <h1>{me.tenant.name}</h1>
        </div>
        <div class="who">
          <span class={`link link-${link}`} role="status" data-testid="link-status">
            {LINK_TEXT[link]}
          </span>
          <span class="pill role" data-testid="role">
            {me.user.role}
            {me.user.platform ? ' (platform)' : ''}
          </span>
          {me.tenant.liveArmed && <span class="pill fail">LIVE armed</span>}
          <LogoutButton slug={slug} />
        </div>
      </header>
      {link === 'offline' && (
        <p class="banner" role="alert">
          The live connection is down. The page keeps trying and catches up when it is back.
        </p>
      )}
      <main class="grid">
        <TradingDayPanel feed={feed} me={me} slug={slug} date={dayParam()} />
        <TradingStatePanel feed={feed} me={me} slug={slug} />
        <ModelsPanel slug={slug} />
        <PnlPanel feed={feed} slug={slug} date={dayParam()} />
        <WallsPanel feed={feed} slug={slug} />
        <DecisionsPanel feed={feed} slug={slug} onOpen={setOpen} />
        <PositionsPanel feed={feed} slug={slug} />
        <OrdersPanel feed={feed} />
      </main>
      {open && <DecisionWhy slug={slug} id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
