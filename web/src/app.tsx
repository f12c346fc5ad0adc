/**
 * Routes by path: /t/<slug>/ is a tenant's dashboard (its login first), / asks for the tenant.
 * Whether the caller may see a tenant is the API's answer to GET …/me: 401 → log in, 404 → nothing
 * (the API answers 404 alike for a tenant that does not exist and one that is not the caller's).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get } from './api';
import type { Me } from './types';
import { LoginForm } from './login';
import { Dashboard } from './dashboard';
import { OperatorHome } from './operator';

const PLATFORM_TENANT_ID = 0;

const tenantSlug = (path: string) => /^\/t\/([a-z0-9][a-z0-9-]{1,38}[a-z0-9])\/?$/.exec(path)?.[1];

export function App() {
  const slug = tenantSlug(location.pathname);
  if (slug) return <TenantPage slug={slug} />;
  if (location.pathname === '/') return <LoginPage />;
  return (
    <Centered title="Not found">
      <p>There is no page here.</p>
      <p>
        <a href="/">Log in</a>
      </p>
    </Centered>
  );
}

type Access = { kind: 'loading' } | { kind: 'login' } | { kind: 'hidden' } | { kind: 'ready'; me: Me };

function TenantPage({ slug }: { slug: string }) {
  const [access, setAccess] = useState<Access>({ kind: 'loading' });
  const [error, setError] = useState<string>();
  const load = () =>
    get('/t/{slug}/api/v1/me', { slug }).then(
      (me) => setAccess({ kind: 'ready', me: me as Me }),
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setAccess({ kind: 'login' });
        else if (e instanceof ApiError && e.status === 404) setAccess({ kind: 'hidden' });
        else setError(e instanceof Error ? e.message : String(e));
      },
    );
  useEffect(() => void load(), [slug]);
  if (error)
    return (
      <Centered title="The API did not answer">
        <p role="alert">{error}</p>
      </Centered>
    );
  switch (access.kind) {
    case 'loading':
      return <Centered title="Quantsentinel">Loading…</Centered>;
    case 'login':
      return (
        <Centered title="Log in">
          <LoginForm tenant={slug} onLoggedIn={(t) => (t === slug ? void load() : location.assign(`/t/${t}/`))} />
        </Centered>
      );
    case 'hidden':
      return (
        <Centered title="Nothing here">
          <p data-testid="no-tenant">There is no tenant at this address that your session may see.</p>
          <h2>Log in to it</h2>
          <LoginForm tenant={slug} onLoggedIn={(t) => (t === slug ? void load() : location.assign(`/t/${t}/`))} />
        </Centered>
      );
    case 'ready':
      // The platform tenant has no book of its own.
      if (access.me.tenant.id === PLATFORM_TENANT_ID) return <OperatorHome me={access.me} />;
      return <Dashboard me={access.me} slug={slug} />;
  }
}

function LoginPage() {
  return (
    <Centered title="Log in">
      <LoginForm onLoggedIn={(t) => location.assign(`/t/${t}/`)} />
    </Centered>
  );
}

function Centered({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <main class="centered">
      <div class="card narrow">
        <p class="brand" aria-hidden="true">
          Quantsentinel
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
