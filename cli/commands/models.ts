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
import { servedModels } from '../../db/models';
import { WINDOW_DAYS } from '../../ml/data/datasets';
import { tradingWindow } from '../../ml/data/market-window';
import { MODEL_TYPE_IDS, type ModelTypeId } from '../../ml/model-types';
import { ArtifactIntegrityError, ModelNotFound, ModelRegistry, PromotionConflict } from '../../ml/registry';
import type { Scope } from '../../ml/types';
import { ModelType, TenantId } from '../../contracts/search-attributes';
import { TASK_QUEUES } from '../../contracts/task-queues';
import { dataVersionAt, retrainWorkflowId, type WeeklyRetrainResult } from '../../contracts/models';
import { tenantFlag, withAppPool, withTemporal } from '../context';
import { DATE_COVERAGE, parseChoice, parseDate, parsePositiveInt } from '../flags';
import { printText } from '../output';
import { UsageError } from '../usage-error';

export const parseModelType = (flag: string) => parseChoice(flag, MODEL_TYPE_IDS);

/**
 * The training data's end date: inside the covered dates, with the type's whole training
 * window (trading days back from it) inside them too.
 */
export function parseDataVersion(typeId: ModelTypeId, raw: string): string {
  const dataVersion = parseDate('--data-version')(raw);
  const first = tradingWindow(dataVersion, WINDOW_DAYS[typeId])[0]!;
  if (first < DATE_COVERAGE.from)
    throw new UsageError(
      `--data-version: ${typeId} trains on ${WINDOW_DAYS[typeId]} trading days back to ${first}, ` +
        `before the covered dates begin (${DATE_COVERAGE.from})`,
    );
  return dataVersion;
}

/** Global models without --tenant; a tenant's variants with it (the platform tenant has none). */
async function resolveScope(pool: Pool, slug: string | undefined): Promise<Scope> {
  if (slug === undefined) return 'global';
  return (await tenantFlag(pool, slug)).id;
}

const actor = () => `cli:${os.userInfo().username}@${os.hostname()}`;
const versionLabel = (v: number | null) => (v ? `v${v}` : 'none');
const short = (sha: string | null) => (sha ? `${sha.slice(0, 12)}…` : '-');

function registryError(err: unknown): never {
  if (err instanceof PromotionConflict || err instanceof ModelNotFound || err instanceof ArtifactIntegrityError)
    throw new UsageError(err.message);
  throw err;
}

function printRetrain(r: WeeklyRetrainResult, json: boolean, workflowId: string): void {
  if (json) return void console.log(JSON.stringify({ workflowId, ...r }));
  printText(
    `${workflowId}: ${r.result} — ${r.typeId} v${r.version} (${short(r.sha256)}) ` +
      `trained on ${r.rows} rows to ${r.dataVersion}${r.trained ? '' : ' (reused the saved version)'}`,
  );
  for (const c of r.validation.checks) printText(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
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
      printText('TYPE                     PRODUCTION  SHA-256        LATEST  STAGED  UPDATED');
      for (const r of rows) {
        printText(
          [
            r.typeId.padEnd(24),
            (r.productionVersion ? `v${r.productionVersion}` : '-').padEnd(11),
            short(r.sha256).padEnd(14),
            (r.latestVersion ? `v${r.latestVersion}` : '-').padEnd(7),
            String(r.staged).padEnd(7),
            r.updatedAt ?? '-',
          ].join(' '),
        );
      }
    });

  models
    .command('show <type>')
    .description('every version of a model type, its validation and the promotion history')
    .option('--tenant <slug>', "a tenant's variant")
    .option('--json', 'machine-readable output')
    .action(async (type: string, opts: { tenant?: string; json?: boolean }) => {
      const typeId = parseModelType('<type>')(type);
      const d = await withAppPool(async (pool) =>
        new ModelRegistry(pool).describe(typeId, await resolveScope(pool, opts.tenant)),
      );
      if (opts.json) return void console.log(JSON.stringify({ typeId, ...d }));
      printText(`${typeId}: production ${d.productionVersion ? `v${d.productionVersion}` : 'none'}`);
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
        printText(
          `  v${String(v.version).padEnd(4)} ${v.status.padEnd(10)} ${short(v.sha256)} ` +
            `${String(v.sizeBytes).padStart(8)} B  data ${v.trainingDataVersion}  ${metric}  ${checks}`,
        );
      }
      if (d.history.length) printText('history:');
      for (const h of d.history)
        printText(
          `  ${h.at} ${h.kind.padEnd(8)} ${h.fromVersion ? `v${h.fromVersion}` : 'none'} → v${h.toVersion} ` +
            `by ${h.actor}${h.reason ? ` (${h.reason})` : ''}`,
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
      const typeId = parseModelType('--type')(opts.type);
      const dataVersion =
        opts.dataVersion !== undefined ? parseDataVersion(typeId, opts.dataVersion) : dataVersionAt(Date.now());
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
          return void printText(
            opts.json
              ? JSON.stringify({ workflowId, started })
              : `${workflowId}: ${note} (qs models retrain … --wait, or the Web UI)`,
          );
        }
        // A failed run says why (e.g. a tenant without enough trades for its own tenant_profile).
        const result = await handle.result().catch((err: unknown) => {
          throw workflowFailure('retrain', err);
        });
        printRetrain(result, !!opts.json, workflowId);
      });
    });

  models
    .command('promote <type> <version>')
    .description('run the validation contract and, if it passes, make the version production')
    .option('--tenant <slug>', "a tenant's variant")
    .option('--json', 'machine-readable output')
    .action(async (type: string, versionText: string, opts: { tenant?: string; json?: boolean }) => {
      const typeId = parseModelType('<type>')(type);
      const version = parsePositiveInt('<version>')(versionText);
      const outcome = await withAppPool(async (pool) =>
        new ModelRegistry(pool)
          .promote(typeId, await resolveScope(pool, opts.tenant), version, { actor: actor() })
          .catch(registryError),
      );
      if (outcome.outcome === 'refused') process.exitCode = 1;
      if (opts.json) return void console.log(JSON.stringify(outcome));
      if (outcome.outcome === 'already_production')
        return void printText(`${typeId} v${version} is already production`);
      printText(
        outcome.outcome === 'promoted'
          ? `${typeId} v${version} is production (was ${versionLabel(outcome.previousVersion)}); workers are swapping`
          : `${typeId} v${version} refused by the contract; ` +
              `production stays ${versionLabel(outcome.productionVersion)}`,
      );
      for (const c of outcome.validation.checks) printText(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    });

  models
    .command('rollback <type>')
    .description(
      'serve the previous production version again (or --to a named one), bypassing the contract; ' +
        'runs the ModelRollback workflow',
    )
    .option('--to <version>', 'the version to serve')
    .option('--tenant <slug>', "a tenant's variant")
    .option('--reason <text>', 'why (audited)')
    .option('--json', 'machine-readable output')
    .action(async (type: string, opts: { to?: string; tenant?: string; reason?: string; json?: boolean }) => {
      const typeId = parseModelType('<type>')(type);
      const toVersion = opts.to !== undefined ? parsePositiveInt('--to')(opts.to) : undefined;
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
          throw workflowFailure('rollback', err);
        }
        if (opts.json) return void console.log(JSON.stringify({ workflowId, ...result }));
        printText(
          `${typeId}: rolled back v${result.fromVersion} → v${result.toVersion} (${short(result.sha256)}) ` +
            `in ${workflowId}`,
        );
      });
    });

  models
    .command('workers')
    .description('which model version each worker serves (from worker_models; live = polling Temporal now)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withAppPool((pool) => servedModels(pool));
      const live = await withTemporal((client) => livePollers(client)).catch(() => null);
      const out = rows.map((r) => ({
        ...r,
        loadedAt: r.loadedAt.toISOString(),
        live: live ? live.has(r.workerId) : null,
      }));
      if (opts.json) return void console.log(JSON.stringify(out));
      if (out.length === 0)
        return void printText(
          'no worker has loaded a model yet (is the ml worker running? are models promoted? qs models list)',
        );
      for (const r of out)
        printText(
          [
            r.workerId.padEnd(36),
            r.typeId.padEnd(24),
            r.scope.padEnd(7),
            `v${String(r.version).padEnd(4)}`,
            short(r.sha256),
            r.loadedAt,
            r.live === null ? '' : r.live ? 'live' : 'gone',
          ].join(' '),
        );
    });
}

/** A failed workflow as one line: the activity's own message (under the workflow's and activity's failures). */
function workflowFailure(what: string, err: unknown): UsageError {
  const cause = (err as { cause?: { cause?: { message?: string }; message?: string } }).cause;
  return new UsageError(`${what} failed: ${cause?.cause?.message ?? cause?.message ?? (err as Error).message}`);
}
