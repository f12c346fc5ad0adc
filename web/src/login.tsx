/** The login form: POST /api/v1/auth/login sets the httpOnly qs_session cookie for the page. */
import { useState } from 'preact/hooks';
import { ApiError, forgetCsrf, post } from './api';
import type { LoginAnswer } from './types';

export function LoginForm({ tenant, onLoggedIn }: { tenant?: string; onLoggedIn: (slug: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        tenant: field('tenant').toLowerCase(),
        email: field('email'),
        password: String(form.get('password')),
      };
      const answer = (await post('/api/v1/auth/login', { body })) as LoginAnswer;
      forgetCsrf();
      onLoggedIn(answer.tenant.slug);
    } catch (err) {
      setError(
        err instanceof ApiError && err.fields.length
          ? err.fields.map((f) => `${f.field.replace(/^body\./, '')}: ${f.message}`).join('; ')
          : err instanceof Error
            ? err.message
            : String(err),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit} aria-describedby={error ? 'login-error' : undefined}>
      <label>
        Tenant
        <input name="tenant" autoComplete="organization" required defaultValue={tenant} autoCapitalize="none" />
      </label>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus={!!tenant} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p id="login-error" class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
