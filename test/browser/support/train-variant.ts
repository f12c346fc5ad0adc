/**
 * Trains one small decide model (three days of data) and saves it as a tenant's own variant: run as
 * its own process by dashboard-env.ts so two models train on two cores at once.
 * Usage: node bin/run-ts.js test/browser/support/train-variant.ts <typeId> <tenantId> <appDbUrl>
 */
import { createPool } from '../../../db/client';
import { ModelRegistry } from '../../../ml/registry';
import { trainOnDataVersion } from '../../../ml/trainers';
import type { ModelTypeId } from '../../../ml/model-types';

export async function saveTenantVariant(registry: ModelRegistry, typeId: ModelTypeId, tenantId: number): Promise<void> {
  const { run, metadata } = await trainOnDataVersion(typeId, '2026-03-06', { windowDays: 3 });
  await registry.saveModel({ scope: tenantId, artifact: run.artifact, metadata });
}

// Run through bin/run-ts.js, which puts this file in argv[1].
if (process.argv[1] === __filename) {
  const [typeId, tenantId, url] = process.argv.slice(2);
  const pool = createPool(url);
  saveTenantVariant(new ModelRegistry(pool, { actor: 'browser-test' }), typeId as ModelTypeId, Number(tenantId))
    .then(() => pool.end())
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}
