/**
 * A platform session's home (/t/platform/): every tenant and its state (GET /api/v1/tenants, re-read
 * every few seconds): broker and live arming, the trading day's state and P&L, active kill switches,
 * each linking to the tenant's dashboard (platform operators reach every active tenant with their
 * role); and a form to open one by its slug. `?date=YYYY-MM-DD` shows that trading day's states.
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { useReload } from './reload';
import { may } from './roles';
import type { Me } from './types';
import type { TenantView } from '../../contracts/platform';
import { LogoutButton } from './logout';
import { Empty, HeadRow } from './panel';
import { rupees, signOf } from './format';

/** How often the list is re-read: a tenant's state lives in its own workflow and rows, not one channel. */
const REFRESH_MS = 5_000;

const dayParam = () => new URLSearchParams(location.search).get('date')?.match(/^\d{4}-\d{2}-\d{2}$/)?.[0];

const linkOf = (dashboard: string, date?: string) => (date ? `${dashboard}?date=${date}` : dashboard);

const matches = (t: TenantView, filter: string) => {
  const f = filter.trim().toLowerCase();
  return !f || t.slug.includes(f) || t.name.toLowerCase().includes(f);
};

function dayText(day: TenantView['day']): string {
  if (day === null) return 'no trading day';
  if (day === 'unavailable') return 'not answering';
  if (!day.running) return `${day.state} · ${day.pnl === null ? 'closed without a summary' : 'over'}`;
  return [day.state, day.paused ? 'paused' : null, day.phase].filter(Boolean).join(' · ');
}

function TenantList() {
  const date = dayParam();
  const [rows, setRows] = useState<TenantView[] | null>(null);
  const [shownDate, setShownDate] = useState<string>();
  const [error, setError] = useState<string>();
  const [filter, setFilter] = useState('');
  const load = useReload(() =>
    get('/api/v1/tenants', { query: { date } }).then(
      (a) => {
        const answer = a as { date: string; tenants: TenantView[] };
        setRows(answer.tenants);
        setShownDate(answer.date);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    ),
  );
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <label class="filter">
        Filter by slug or name
        <input
          name="filter"
          type="search"
          autoCapitalize="none"
          value={filter}
          onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {rows === null ? (
        <Empty>Loading…</Empty>
      ) : rows.length === 0 ? (
        <Empty>No tenants yet.</Empty>
      ) : (
        <div class="scroll" tabIndex={0} role="region" aria-label={`Tenants on ${shownDate}`}>
          <table>
            <caption class="sr-only">Tenants and their trading day on {shownDate}</caption>
            <HeadRow cols={['Tenant', 'Mode', `Trading day ${shownDate}`, 'P&L#', 'Kill switches#']} />
            <tbody>
              {rows
                .filter((t) => matches(t, filter))
                .map((t) => (
                  <tr key={t.id} data-testid="tenant-row" data-slug={t.slug}>
                    <th scope="row">
                      {t.dashboard ? <a href={linkOf(t.dashboard, date)}>{t.name}</a> : t.name}{' '}
                      <span class="muted small">
                        {t.slug}
                        {t.status === 'active' ? '' : ` · ${t.status}`}
                      </span>
                    </th>
                    <td>
                      {t.broker}
                      {t.liveArmed && <span class="pill fail">LIVE armed</span>}
                    </td>
                    <td data-testid="tenant-day">{dayText(t.day)}</td>
                    <td class={`n ${t.day && t.day !== 'unavailable' && signOf(t.day.pnl) < 0 ? 'neg' : ''}`}>
                      {t.day && t.day !== 'unavailable' ? rupees(t.day.pnl) : '—'}
                    </td>
                    <td class={`n ${t.activeKillSwitches > 0 ? 'neg' : ''}`} data-testid="tenant-switches">
                      {t.activeKillSwitches}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function OperatorHome({ me }: { me: Me }) {
  const open = (e: Event) => {
    e.preventDefault();
    const slug = String(new FormData(e.currentTarget as HTMLFormElement).get('slug') ?? '')
      .trim()
      .toLowerCase();
    if (slug) location.assign(`/t/${encodeURIComponent(slug)}/`);
  };
  useEffect(() => {
    document.title = 'Platform · Quantsentinel';
  }, []);
  return (
    <>
      <header class="top">
        <div>
          <p class="brand">Quantsentinel</p>
          <h1>Platform</h1>
        </div>
        <div class="who">
          <span class="pill role" data-testid="role">
            {me.user.role} (platform)
          </span>
          <LogoutButton slug={me.tenant.slug} />
        </div>
      </header>
      <main class="grid">
        <section class="card panel wide" aria-labelledby="tenants-h" id="tenants">
          <div class="panel-head">
            <h2 id="tenants-h">Tenants</h2>
          </div>
          {may(me.user.role, 'get', '/api/v1/tenants') ? (
            <TenantList />
          ) : (
            <Empty>The tenant list is for the platform's operators and admins.</Empty>
          )}
        </section>
        <section class="card panel" aria-labelledby="open-h">
          <h2 id="open-h">Open a tenant</h2>
          <p class="muted">A platform session sees any tenant's dashboard with its own role.</p>
          <form class="stack" onSubmit={open}>
            <label>
              Tenant slug
              <input name="slug" required pattern="[a-z0-9][a-z0-9-]{1,38}[a-z0-9]" autoCapitalize="none" />
            </label>
            <button type="submit" class="primary">
              Open
            </button>
          </form>
        </section>
      </main>
    </>
  );
}
