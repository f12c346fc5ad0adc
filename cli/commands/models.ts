/**
 * `qs models …`: the model registry for operators. list / show read the registry; retrain
 * starts (or joins) the WeeklyRetrain workflow for a data version; promote runs the contract
 * and flips the pointer; rollback runs the ModelRollback workflow (visible in the Web UI);
 * workers shows which version each worker serves. Bad input is a UsageError naming it.
 */
import { executeWorkflow, startWorkflow, workflowHandle } from '../../runtime/workflow-client';
import os from 'node:os';
import { Command } from 'commander';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';
import { isIsoDate } from '../../domain/dates';
import { isModelTypeId, MODEL_TYPE_IDS, type ModelTypeId } from '../../ml/model-types';
import { ArtifactIntegrityError, ModelNotFound, ModelRegistry, PromotionConflict } from '../../ml/registry';
import type { Scope } from '../../ml/types';
import { ModelType, TenantId } from '../../contracts/search-attributes';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { dataVersionAt, retrainWorkflowId, type WeeklyRetrainResult } from '../../contracts/models';
import { withAppPool, withTemporal } from '../context';
import { UsageError } from '../usage-error';

export function parseModelType(text: string): ModelTypeId {
  if (!isModelTypeId(text)) throw new UsageError(`unknown model type "${text}" (known: ${MODEL_TYPE_IDS.join(', ')})`);
  return text;
}

export function parseVersion(text: string, what = 'version'): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`${what} must be a positive integer, got "${text}"`);
  return Number(text);
}

export function parseDataVersion(text: string): string {
  if (!isIsoDate(text))
    throw new UsageError(`--data-version must be a date YYYY-MM-DD (the training data's end), got "${text}"`);
  return text;
}

async function resolveScope(pool: Pool, slug: string | undefined): Promise<Scope> {
  if (slug === undefined) return 'global';
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM tenants WHERE slug = $1', [slug]);
  if (!rows[0]) throw new UsageError(`unknown tenant "${slug}"`);
  if (rows[0].id === 0) throw new UsageError('the platform tenant has no models; omit --tenant for the global ones');
  return rows[0].id;
}

const actor = () => `cli:${os.userInfo().username}@${os.hostname()}`;
const short = (sha: string | null) => (sha ? `${sha.slice(0, 12)}…` : '-');

function registryError(err: unknown): never {
  if (err instanceof PromotionConflict || err instanceof ModelNotFound || err instanceof ArtifactIntegrityError)
    throw new UsageError(err.message);
  throw err;
}

function printRetrain(r: WeeklyRetrainResult, json: boolean, workflowId: string): void {
  if (json) return void console.log(JSON.stringify({ workflowId, ...r }));
  console.log(
    `${workflowId}: ${r.result} — ${r.typeId} v${r.version} (${short(r.sha256)}) trained on ${r.rows} rows to ${r.dataVersion}${r.trained ? '' : ' (reused the saved version)'}`,
  );
  for (const c of r.validation.checks) console.log(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
}

async function livePollers(client: Client): Promise<Set<string>> {
  const live = new Set<string>();
  for (const taskQueue of Object.values(TASK_QUEUES)) {
    for (const taskQueueType of [
      temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    ]) {
      const res = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType,
      });
      for (const p of res.pollers ?? []) if (p.identity) live.add(p.identity);
    }
  }
  return live;
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('model registry: versions, promotion, rollback, retrains, what workers serve');

  models
    .command('list')
    .description('production version of every model type')
    .option('--tenant <slug>', "a tenant's variants instead of the global models")
    .option('--json', 'machine-readable output')
    .action(async (opts: { tenant?: string; json?: boolean }) => {
      const rows = await withAppPool(async (pool) =>
        new ModelRegistry(pool).list(await resolveScope(pool, opts.tenant)),
      );
      if (opts.json) return void console.log(JSON.stringify(rows));
      console.log('TYPE                     PRODUCTION  SHA-256        LATEST  STAGED  UPDATED');
      for (const r of rows) {
        console.log(
          `${r.typeId.padEnd(24)} ${(r.productionVersion ? `v${r.productionVersion}` : '-').padEnd(11)} ${short(r.sha256).padEnd(14)} ${(r.latestVersion ? `v${r.latestVersion}` : '-').padEnd(7)} ${String(r.staged).padEnd(7)} ${r.updatedAt ?? '-'}`,
        );
      }
    });

  models
    .command('show <type>')
    .description('every version of a model type, its validation and the promotion history')
    .option('--tenant <slug>', "a tenant's variant")
    .option('--json', 'machine-readable output')
    .action(async (type: string, opts: { tenant?: string; json?: boolean }) => {
      const typeId = parseModelType(type);
      const d = await withAppPool(async (pool) =>
        new ModelRegistry(pool).describe(typeId, await resolveScope(pool, opts.tenant)),
      );
      if (opts.json) return void console.log(JSON.stringify({ typeId, ...d }));
      console.log(`${typeId}: production ${d.productionVersion ? `v${d.productionVersion}` : 'none'}`);
      for (const v of d.versions) {
        const metric = Object.entries(v.metadata.validationMetrics)
          .filter(([k]) => k.startsWith('holdout_'))
          .map(([k, x]) => `${k}=${Number(x).toFixed(4)}`)
          .join(' ');
        const checks = v.validation
          ? v.validation.passed
            ? 'contract passed'
            : `contract FAILED: ${v.validation.checks
                .filter((c) => !c.passed)
                .map((c) => c.name)
                .join(', ')}`
          : 'not validated';
        console.log(
          `  v${String(v.version).padEnd(4)} ${v.status.padEnd(10)} ${short(v.sha256)} ${String(v.sizeBytes).padStart(8)} B  data ${v.trainingDataVersion}  ${metric}  ${checks}`,
        );
      }
      if (d.history.length) console.log('history:');
      for (const h of d.history)
        console.log(
          `  ${h.at} ${h.kind.padEnd(8)} ${h.fromVersion ? `v${h.fromVersion}` : 'none'} → v${h.toVersion} by ${h.actor}${h.reason ? ` (${h.reason})` : ''}`,
        );
    });

  models
    .command('retrain')
    .description('run the WeeklyRetrain workflow now for one type (idempotent per data version)')
    .requiredOption('--type <type>', `model type (${MODEL_TYPE_IDS.join(', ')})`)
    .option('--tenant <slug>', "retrain a tenant's variant")
    .option('--data-version <date>', 'training data end date (default: the last trading day before today, IST)')
    .option('--wait', 'wait for the result')
    .option('--json', 'machine-readable output')
    .action(async (opts: { type: string; tenant?: string; dataVersion?: string; wait?: boolean; json?: boolean }) => {
      const typeId = parseModelType(opts.type);
      const dataVersion =
        opts.dataVersion !== undefined ? parseDataVersion(opts.dataVersion) : dataVersionAt(Date.now());
      const scope = await withAppPool((pool) => resolveScope(pool, opts.tenant));
      await withTemporal(async (client) => {
        const workflowId = retrainWorkflowId(typeId, scope, dataVersion);
        let started = true;
        try {
          await startWorkflow(client, 'weeklyRetrain', {
            taskQueue: TASK_QUEUES.ml,
            workflowId,
            args: [{ typeId, scope, dataVersion, actor: actor() }],
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            typedSearchAttributes: [
              { key: ModelType, value: typeId },
              { key: TenantId, value: String(scope) },
            ],
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
          started = false;
        }
        const handle = workflowHandle(client, 'weeklyRetrain', workflowId);
        if (!opts.wait) {
          const note = started ? 'started' : 'already ran or running for this data version';
          return void console.log(
            opts.json
              ? JSON.stringify({ workflowId, started })
              : `${workflowId}: ${note} (qs models retrain … --wait, or the Web UI)`,
          );
        }
        printRetrain(await handle.result(), !!opts.json, workflowId);
      });
    });

  models
    .command('promote <type> <version>')
    .description('run the validation contract and, if it passes, make the version production')
    .option('--tenant <slug>', "a tenant's variant")
    .option('--json', 'machine-readable output')
    .action(async (type: string, versionText: string, opts: { tenant?: string; json?: boolean }) => {
      const typeId = parseModelType(type);
      const version = parseVersion(versionText);
      const outcome = await withAppPool(async (pool) =>
        new ModelRegistry(pool)
          .promote(typeId, await resolveScope(pool, opts.tenant), version, { actor: actor() })
          .catch(registryError),
      );
      if (outcome.outcome === 'refused') process.exitCode = 1;
      if (opts.json) return void console.log(JSON.stringify(outcome));
      if (outcome.outcome === 'already_production')
        return void console.log(`${typeId} v${version} is already production`);
      console.log(
        outcome.outcome === 'promoted'
          ? `${typeId} v${version} is production (was ${outcome.previousVersion ? `v${outcome.previousVersion}` : 'none'}); workers are swapping`
          : `${typeId} v${version} refused by the contract; production stays ${outcome.productionVersion ? `v${outcome.productionVersion}` : 'none'}`,
      );
      for (const c of outcome.validation.checks) console.log(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    });

  models
    .command('rollback <type>')
    .description(
      'serve the previous production version again (or --to a named one), bypassing the contract; runs the ModelRollback workflow',
    )
    .option('--to <version>', 'the version to serve')
    .option('--tenant <slug>', "a tenant's variant")
    .option('--reason <text>', 'why (audited)')
    .option('--json', 'machine-readable output')
    .action(async (type: string, opts: { to?: string; tenant?: string; reason?: string; json?: boolean }) => {
      const typeId = parseModelType(type);
      const toVersion = opts.to !== undefined ? parseVersion(opts.to, '--to') : undefined;
      const scope = await withAppPool((pool) => resolveScope(pool, opts.tenant));
      await withTemporal(async (client) => {
        const workflowId = `model-rollback/${typeId}/${scope}/${new Date().toISOString()}`;
        let result;
        try {
          result = await executeWorkflow(client, 'modelRollback', {
            taskQueue: TASK_QUEUES.ml,
            workflowId,
            args: [{ typeId, scope, toVersion, actor: actor(), reason: opts.reason }],
            workflowExecutionTimeout: '5 minutes',
            typedSearchAttributes: [
              { key: ModelType, value: typeId },
              { key: TenantId, value: String(scope) },
            ],
          });
        } catch (err) {
          const cause = (err as { cause?: { cause?: { message?: string }; message?: string } }).cause;
          throw new UsageError(`rollback failed: ${cause?.cause?.message ?? cause?.message ?? (err as Error).message}`);
        }
        if (opts.json) return void console.log(JSON.stringify({ workflowId, ...result }));
        console.log(
          `${typeId}: rolled back v${result.fromVersion} → v${result.toVersion} (${short(result.sha256)}) in ${workflowId}`,
        );
      });
    });

  models
    .command('workers')
    .description('which model version each worker serves (from worker_models; live = polling Temporal now)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withAppPool(
        async (pool) =>
          (
            await pool.query<{
              worker_id: string;
              type_id: string;
              scope: string;
              version: number;
              sha256: string;
              loaded_at: Date;
            }>(
              'SELECT worker_id, type_id, scope, version, sha256, loaded_at FROM worker_models ORDER BY worker_id, type_id, scope',
            )
          ).rows,
      );
      const live = await withTemporal((client) => livePollers(client)).catch(() => null);
      const out = rows.map((r) => ({
        workerId: r.worker_id,
        typeId: r.type_id,
        scope: r.scope,
        version: r.version,
        sha256: r.sha256,
        loadedAt: r.loaded_at.toISOString(),
        live: live ? live.has(r.worker_id) : null,
      }));
      if (opts.json) return void console.log(JSON.stringify(out));
      if (out.length === 0)
        return void console.log(
          'no worker has loaded a model yet (is the ml worker running? are models promoted? qs models list)',
        );
      for (const r of out)
        console.log(
          `${r.workerId.padEnd(36)} ${r.typeId.padEnd(24)} ${r.scope.padEnd(7)} v${String(r.version).padEnd(4)} ${short(r.sha256)} ${r.loadedAt} ${r.live === null ? '' : r.live ? 'live' : 'gone'}`,
        );
    });
}
