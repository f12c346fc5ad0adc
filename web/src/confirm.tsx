/**
 * A confirmation in a modal <dialog> (focus moves into it, Escape cancels, the page behind is inert).
 * With `reason`, the action needs a written reason, which the API audits.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';

export interface ConfirmProps {
  title: string;
  children: preact.ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  reason?: boolean;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
}

export function Confirm({ title, children, confirmLabel, danger, reason, onConfirm, onClose }: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget as HTMLFormElement).get('reason') ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(text);
      ref.current?.close();
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const id = title.toLowerCase().replace(/\W+/g, '-');
  return (
    <dialog ref={ref} class="confirm" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form class="stack" onSubmit={submit}>
        <h2 id={`${id}-title`}>{title}</h2>
        <div>{children}</div>
        {reason && (
          <label>
            Reason (audited)
            <textarea name="reason" required maxLength={500} rows={2} />
          </label>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          <button type="submit" class={danger ? 'danger' : 'primary'} disabled={busy}>
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
