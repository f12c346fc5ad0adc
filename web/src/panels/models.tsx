/** The models serving the tenant: each type's production version (its own variant or the global one) and how many
 * workers run which version (GET …/serving-models). */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import type { ServingModels } from '../types';
import { Empty, Panel } from '../panel';

export function ModelsPanel({ slug }: { slug: string }) {
  const [models, setModels] = useState<ServingModels | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    get('/t/{slug}/api/v1/serving-models', { slug }).then(
      (a) => setModels(a as ServingModels),
      (e: Error) => setError(e.message),
    );
  }, [slug]);
  const production = models?.production.filter((m) => m.productionVersion !== null) ?? [];
  return (
    <Panel id="models" title="Models serving">
      {error ? (
        <p class="error">{error}</p>
      ) : models === null ? (
        <Empty>Loading…</Empty>
      ) : production.length === 0 && models.served.length === 0 ? (
        <Empty>No model in production.</Empty>
      ) : (
        <ul class="models">
          {production.map((m) => {
            const workers = models.served.filter((s) => s.typeId === m.typeId);
            return (
              <li key={m.typeId} data-testid="model">
                <strong>{m.typeId}</strong> v{m.productionVersion}{' '}
                <span class="muted small">({m.scope === 'global' ? 'global' : 'this tenant'})</span>{' '}
                {m.sha256 && <span class="mono small">sha256 {m.sha256.slice(0, 12)}…</span>}
                {workers.length > 0 && (
                  <span class="small">
                    {' '}
                    · served by{' '}
                    {workers.map((w) => `${w.workers} worker${w.workers > 1 ? 's' : ''} (v${w.version})`).join(', ')}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
