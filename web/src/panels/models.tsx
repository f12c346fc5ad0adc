/** The models serving now (production versions in the registry), for the roles the API lets read them. */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { may } from '../roles';
import type { Role } from '../types';
import { Empty, Panel } from '../panel';

interface ModelRow {
  typeId?: string;
  type?: string;
  version?: number;
  status?: string;
  sha256?: string;
  scope?: string | number;
  [k: string]: unknown;
}

export function ModelsPanel({ slug, role }: { slug: string; role: Role }) {
  const allowed = may(role, 'get', '/t/{slug}/api/v1/models');
  const [models, setModels] = useState<ModelRow[] | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!allowed) return;
    get('/t/{slug}/api/v1/models', { slug }).then(
      (a) =>
        setModels(((a as { models?: ModelRow[] }).models ?? []).filter((m) => !m.status || m.status === 'production')),
      (e: Error) => setError(e.message),
    );
  }, [slug, allowed]);
  return (
    <Panel id="models" title="Models serving">
      {!allowed ? (
        <Empty>Operators see the models here.</Empty>
      ) : error ? (
        <p class="error">{error}</p>
      ) : models === null ? (
        <Empty>Loading…</Empty>
      ) : models.length === 0 ? (
        <Empty>No model in production.</Empty>
      ) : (
        <ul class="models">
          {models.map((m) => (
            <li key={`${m.typeId ?? m.type}-${m.version}`}>
              <strong>{m.typeId ?? m.type}</strong> v{m.version}{' '}
              {m.sha256 && <span class="mono small">sha256 {m.sha256.slice(0, 16)}…</span>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
