/**
 * Log out: the API refuses the session's token from then on and clears the cookie; the page then
 * reloads at the same address, which asks for a login.
 */
import { useState } from 'preact/hooks';
import { forgetCsrf, post } from './api';

export function LogoutButton({ slug }: { slug: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const logout = async () => {
    setBusy(true);
    setError(undefined);
    try {
      // The CSRF token of the tenant page it is on: a cookie session's write needs one.
      await post('/api/v1/auth/logout', { slug });
      forgetCsrf();
      location.assign(`/t/${slug}/`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="small" data-testid="logout" disabled={busy} onClick={() => void logout()}>
        {busy ? 'Logging out…' : 'Log out'}
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
