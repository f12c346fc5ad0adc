/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * Hot-swap: the real ml worker process (`node bin/run-ts.js workers/ml.ts`) serves the
 * production models, and a promotion — or a rollback — committed elsewhere reaches it through
 * Postgres NOTIFY: it loads the new version without a restart (same pid) and records what it
 * serves in worker_models (and leaves it on a clean stop).
 */
import { until } from '../support/until';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ModelRegistry } from '../../ml/registry';
import { trainOnDataVersion } from '../../ml/trainers';
import type { ModelTypeId } from '../../ml/model-types';
import { testEnv, testPool } from '../support/env';

const ROOT = path.join(__dirname, '..', '..');

/**
 * A small model (a short window, few trees) whose metadata pins the holdout the contract
 * re-measures. The data versions are ones whose 6-day strike selector passes its contract
 * (holdout rank IC 0.39 and 0.79 on the simulator).
 */
async function trained(typeId: ModelTypeId, dataVersion: string, windowDays: number, hp?: Record<string, number>) {
  const { run, metadata } = await trainOnDataVersion(typeId, dataVersion, { windowDays, hyperparameters: hp });
  return { scope: 'global' as const, artifact: run.artifact, metadata };
}

describe('a running ml worker hot-swaps promoted models', () => {
  const pool = testPool('app');
  const registry = new ModelRegistry(pool, { actor: 'hot-swap-test' });
  let worker: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
  });

  it('loads each promotion and rollback without a restart and records it in worker_models', async () => {
    // v1 of an ONNX model and of a JSON model are in production before the worker starts.
    const strike1 = await registry.saveModel(await trained('strike_selector', '2026-01-23', 6, { nEstimators: 6 }));
    const anomaly1 = await registry.saveModel(await trained('anomaly_detector', '2026-01-23', 6));
    expect(strike1.promotion?.outcome).toBe('promoted');
    expect(anomaly1.promotion?.outcome).toBe('promoted');

    const env = testEnv();
    worker = spawn(process.execPath, ['bin/run-ts.js', 'workers/ml.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.adminUrl,
        QS_APP_DATABASE_URL: env.appUrl,
        TEMPORAL_ADDRESS: env.temporalAddress,
        TEMPORAL_NAMESPACE: env.namespace,
        QS_WORKFLOW_BUNDLE: env.bundlePath,
        QS_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d) => (output += d));
    worker.stderr!.on('data', (d) => (output += d));
    const pid = worker.pid!;
    const workerId = `ml@${os.hostname()}:${pid}`;
    const served = async (typeId: string) =>
      (
        await pool.query<{ version: number; sha256: string }>(
          "SELECT version, sha256 FROM worker_models WHERE worker_id = $1 AND type_id = $2 AND scope = 'global'",
          [workerId, typeId],
        )
      ).rows[0];

    try {
      // Boot prewarm: the worker serves both v1s.
      await until(
        'the worker to prewarm',
        async () =>
          (await served('strike_selector'))?.version === strike1.saved.version &&
          (await served('anomaly_detector'))?.version === anomaly1.saved.version,
        60_000,
      );
      await until('the worker to listen', async () => output.includes('model cache listening for promotions'));

      // A promotion committed by someone else reaches the running worker.
      const strike2 = await registry.saveModel(await trained('strike_selector', '2026-01-30', 6, { nEstimators: 6 }));
      expect(strike2.promotion?.outcome).toBe('promoted');
      const swapped = await until('the ONNX model to hot-swap', async () => {
        const s = await served('strike_selector');
        return s?.version === strike2.saved.version ? s : undefined;
      });
      expect(swapped.sha256).toBe(strike2.saved.sha256);

      const anomaly2 = await registry.saveModel(await trained('anomaly_detector', '2026-01-30', 6));
      expect(anomaly2.promotion?.outcome).toBe('promoted');
      await until(
        'the JSON model to hot-swap',
        async () => (await served('anomaly_detector'))?.version === anomaly2.saved.version,
      );

      // A rollback is a pointer flip like any other: the worker follows it.
      await registry.rollback('strike_selector', 'global', { actor: 'hot-swap-test' });
      await until(
        'the rollback to reach the worker',
        async () => (await served('strike_selector'))?.version === strike1.saved.version,
      );

      expect(worker.exitCode).toBeNull();
      expect(worker.pid).toBe(pid); // same process: no restart
      expect(output).toMatch(/model hot-swapped/);

      // A clean stop takes the worker out of worker_models.
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
      expect(
        (await pool.query('SELECT count(*)::int AS n FROM worker_models WHERE worker_id = $1', [workerId])).rows[0].n,
      ).toBe(0);
    } catch (err) {
      process.stderr.write(`--- ml worker output ---\n${output.slice(-4000)}\n`);
      throw err;
    }
  });
});
