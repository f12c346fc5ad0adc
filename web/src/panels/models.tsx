/** The models serving now (production versions in the registry), for the roles the API lets read them. */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { may } from '../roles';
import type { Role } from '../types';
import { Empty, Panel } from '../panel';

/** A model type as the registry summarises it for a scope (the tenant's own variants, or global). */
interface ModelRow {
  typeId: string;
  productionVersion: number | null;
  sha256: string | null;
  framework: string | null;
  updatedAt: string | null;
}

export function ModelsPanel({ slug, role }: { slug: string; role: Role }) {
  const allowed = may(role, 'get', '/t/{slug}/api/v1/models');
  const [models, setModels] = useState<ModelRow[] | null>(null);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!allowed) return;
    get('/t/{slug}/api/v1/models', { slug }).then(
      (a) => setModels(((a as { models?: ModelRow[] }).models ?? []).filter((m) => m.productionVersion !== null)),
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
        <Empty>No variant of this tenant's own: the platform's global models serve it.</Empty>
      ) : (
        <ul class="models">
          {models.map((m) => (
            <li key={m.typeId}>
              <strong>{m.typeId}</strong> v{m.productionVersion}{' '}
              {m.sha256 && <span class="mono small">sha256 {m.sha256.slice(0, 16)}…</span>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
