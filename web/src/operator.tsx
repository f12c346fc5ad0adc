/**
 * A platform session's home (/t/platform/): platform operators reach every tenant's dashboard with
 * their role, so this opens one by its slug.
 */
import type { Me } from './types';

export function OperatorHome({ me }: { me: Me }) {
  const open = (e: Event) => {
    e.preventDefault();
    const slug = String(new FormData(e.currentTarget as HTMLFormElement).get('slug') ?? '')
      .trim()
      .toLowerCase();
    if (slug) location.assign(`/t/${encodeURIComponent(slug)}/`);
  };
  return (
    <>
      <header class="top">
        <div>
          <p class="brand">Quantsentinel</p>
          <h1>Platform</h1>
        </div>
        <span class="pill role">{me.user.role} (platform)</span>
      </header>
      <main class="grid">
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
