/**
 * npm run bench:ml [-- --n 5000 --batch 1024 --swaps 20]
 * 1. Training time of every trainer on its default window (simulated market data).
 * 2. ONNX inference through onnxruntime-node: single-row latency (p50/p95/p99) and batch
 *    throughput, per ONNX model, against the baseline measured in the same run — the
 *    TypeScript reference implementation of the same fitted model — with the ratio.
 * 3. JSON models' single-row evaluation.
 * 4. Hot-swap: promotion committed → every running cache serving it (NOTIFY path), on an
 *    embedded PostgreSQL started for the run.
 */
import { startEphemeralServers } from '../stack/ephemeral-servers';
import { createPool } from '../db/client';
import { OnnxModel } from '../ml/adapters/onnx';
import { simulatorRows } from '../ml/data/datasets';
import { toExamples } from '../ml/data/rule1';
import { splitHoldout } from '../ml/data/split';
import { ModelCache } from '../ml/model-cache';
import { MODEL_TYPE_IDS, modelType } from '../ml/model-types';
import { mahalanobis } from '../ml/models/anomaly';
import { slippageShare } from '../ml/models/slippage';
import { logisticToOnnx } from '../ml/onnx/logistic-graph';
import { forestToOnnx } from '../ml/onnx/tree-ensemble';
import { ModelRegistry } from '../ml/registry';
import { TRAINERS, metadataForRun, trainFromRows } from '../ml/trainers';
import { predictForest, trainForest } from '../ml/trainers/forest';
import { fitLogistic, predictLogistic } from '../ml/trainers/logistic';
import { STRIKE_DEFAULTS } from '../ml/trainers/strike-selector';
import { intFlag, summarize, type Summary } from './stats';

const DATA_VERSION = '2026-05-22';
const us = (ms: number) => `${(ms * 1000).toFixed(1).padStart(8)} µs`;
const line = (label: string, s: Summary) =>
  `  ${label.padEnd(34)} p50 ${us(s.p50)}  p95 ${us(s.p95)}  p99 ${us(s.p99)}  ` +
  `${Math.round(s.perSecond).toLocaleString('en-US').padStart(10)}/s`;

async function timeEach(
  n: number,
  rows: readonly (readonly number[])[],
  fn: (x: readonly number[]) => unknown | Promise<unknown>,
): Promise<Summary> {
  for (let i = 0; i < Math.min(500, n); i++) await fn(rows[i % rows.length]!);
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn(rows[i % rows.length]!);
    samples.push(performance.now() - s);
  }
  return summarize(samples, performance.now() - t0);
}

async function rowsPerSecond(
  batch: readonly (readonly number[])[],
  rounds: number,
  fn: (b: readonly (readonly number[])[]) => unknown | Promise<unknown>,
): Promise<number> {
  await fn(batch);
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) await fn(batch);
  return (batch.length * rounds * 1000) / (performance.now() - t0);
}

async function main(): Promise<void> {
  const n = intFlag('n', 5000);
  const batchSize = intFlag('batch', 1024);
  const swaps = intFlag('swaps', 20);
  console.log(
    `bench:ml — data version ${DATA_VERSION}, ${n} single-row calls, batches of ${batchSize}, ` +
      `node ${process.version}, onnxruntime-node ${require('onnxruntime-node/package.json').version}`,
  );

  console.log('\n1. training (simulated window, Rule 1 strip, holdout evaluation included)');
  for (const typeId of MODEL_TYPE_IDS) {
    const t0 = performance.now();
    const rows = simulatorRows(typeId, DATA_VERSION);
    const t1 = performance.now();
    const run = await trainFromRows(typeId, rows);
    const t2 = performance.now();
    const c = modelType(typeId).contract;
    const metric = [c.metric, run.validationMetrics[c.metric]] as const;
    console.log(
      `  ${typeId.padEnd(24)} rows ${String(rows.length).padStart(6)}  data ${(t1 - t0).toFixed(0).padStart(6)} ms  ` +
        `train ${(t2 - t1).toFixed(0).padStart(6)} ms  ${run.artifact.length} B  ` +
        `${metric[0]}=${Number(metric[1]).toFixed(4)} (contract ≥ ${c.atLeast})`,
    );
  }

  console.log('\n2. ONNX inference (onnxruntime-node, 1 thread) vs the TypeScript reference of the same model');
  const trend = splitHoldout(
    toExamples(simulatorRows('trend_classifier', DATA_VERSION), TRAINERS.trend_classifier.featureSchema),
    TRAINERS.trend_classifier.holdout,
  );
  const logistic = fitLogistic(
    trend.train.map((e) => e.x),
    trend.train.map((e) => e.y),
    trend.train.map((e) => e.weight),
  );
  const strike = splitHoldout(
    toExamples(simulatorRows('strike_selector', DATA_VERSION), TRAINERS.strike_selector.featureSchema),
    TRAINERS.strike_selector.holdout,
  );
  const forest = await trainForest(
    strike.train.map((e) => e.x),
    strike.train.map((e) => e.y),
    STRIKE_DEFAULTS,
  );
  const onnxModels = [
    {
      name: 'trend_classifier (logistic)',
      bytes: logisticToOnnx(logistic, {
        typeId: 'trend_classifier',
        features: TRAINERS.trend_classifier.featureSchema.features,
      }),
      rows: trend.holdout.map((e) => e.x),
      ref: (x: readonly number[]) => predictLogistic(logistic, x),
    },
    {
      name: `strike_selector (${forest.trees.length} trees)`,
      bytes: forestToOnnx(forest, {
        typeId: 'strike_selector',
        features: TRAINERS.strike_selector.featureSchema.features,
      }),
      rows: strike.holdout.map((e) => e.x),
      ref: (x: readonly number[]) => predictForest(forest, x),
    },
  ];
  for (const m of onnxModels) {
    const session = await OnnxModel.fromBytes(m.bytes, m.rows[0]!.length);
    try {
      const onnx = await timeEach(n, m.rows, (x) => session.predict([x]));
      const ref = await timeEach(n, m.rows, m.ref);
      const batch = Array.from({ length: batchSize }, (_, i) => m.rows[i % m.rows.length]!);
      const rounds = Math.max(5, Math.floor(200_000 / batchSize));
      const onnxBatch = await rowsPerSecond(batch, rounds, (b) => session.predict(b));
      const refBatch = await rowsPerSecond(batch, rounds, (b) => b.map(m.ref));
      const out = await session.predict(m.rows);
      const worst = m.rows.reduce((w, x, i) => Math.max(w, Math.abs(out[i]! - m.ref(x))), 0);
      console.log(
        `  ${m.name}  (${m.bytes.length} B, max |ONNX − reference| on ${m.rows.length} holdout rows = ` +
          `${worst.toExponential(2)})`,
      );
      console.log(line('single row, ONNX', onnx));
      console.log(line('single row, TS reference (baseline)', ref));
      console.log(
        `  ${'ratio ONNX / baseline p50, p99'.padEnd(34)} ` +
          `${(onnx.p50 / ref.p50).toFixed(1)}×, ${(onnx.p99 / ref.p99).toFixed(1)}×`,
      );
      console.log(
        `  ${`batch of ${batchSize}`.padEnd(34)} ONNX ${Math.round(onnxBatch).toLocaleString('en-US')} rows/s  ` +
          `baseline ${Math.round(refBatch).toLocaleString('en-US')} rows/s  ` +
          `ratio ${(onnxBatch / refBatch).toFixed(2)}×`,
      );
    } finally {
      await session.release();
    }
  }

  console.log('\n3. JSON models, single row (TypeScript)');
  const slip = await trainFromRows('slippage_coefficients', simulatorRows('slippage_coefficients', DATA_VERSION));
  const slipState = JSON.parse(slip.artifact.toString()).state;
  const slipRows = toExamples(
    simulatorRows('slippage_coefficients', DATA_VERSION, 2),
    TRAINERS.slippage_coefficients.featureSchema,
  ).map((e) => e.x);
  console.log(line('slippage_coefficients', await timeEach(n, slipRows, (x) => slippageShare(slipState, x))));
  const anom = await trainFromRows('anomaly_detector', simulatorRows('anomaly_detector', DATA_VERSION));
  const anomState = JSON.parse(anom.artifact.toString()).state;
  const anomRows = toExamples(
    simulatorRows('anomaly_detector', DATA_VERSION, 2),
    TRAINERS.anomaly_detector.featureSchema,
  ).map((e) => e.x);
  console.log(line('anomaly_detector', await timeEach(n, anomRows, (x) => mahalanobis(anomState, x))));

  console.log(
    `\n4. hot-swap: promotion commit → 2 running caches serving it (${swaps} promotions, embedded PostgreSQL)`,
  );
  const servers = await startEphemeralServers({ bundle: false });
  const pool = createPool(servers.db.appUrl);
  const caches: ModelCache[] = [];
  try {
    const registry = new ModelRegistry(pool, { actor: 'bench' });
    const versions: Array<{ sha: string; version: number }> = [];
    for (const dv of ['2026-05-15', '2026-05-22']) {
      const run = await trainFromRows('trend_classifier', simulatorRows('trend_classifier', dv));
      const saved = await registry.save({
        scope: 'global',
        artifact: run.artifact,
        metadata: metadataForRun('trend_classifier', run, dv, {
          validationMetrics: {
            ...run.validationMetrics,
            holdout_accuracy: Math.max(0.5, run.validationMetrics.holdout_accuracy!),
          },
        }),
      });
      versions.push({ sha: saved.sha256, version: saved.version });
    }
    await registry.promote('trend_classifier', 'global', versions[0]!.version);
    for (let i = 0; i < 2; i++) {
      const c = new ModelCache({ pool, listenUrl: servers.db.appUrl, workerId: `bench-${i}`, releaseGraceMs: 100 });
      await c.start(['trend_classifier']);
      await c.settled();
      caches.push(c);
    }
    const samples: number[] = [];
    const t0 = performance.now();
    for (let i = 0; i < swaps; i++) {
      const target = versions[(i + 1) % 2]!;
      const s = performance.now();
      if (i === 0) await registry.promote('trend_classifier', 'global', target.version);
      else await registry.rollback('trend_classifier', 'global', { toVersion: target.version });
      while (!caches.every((c) => c.served().some((m) => m.sha256 === target.sha)))
        await new Promise((r) => setImmediate(r));
      samples.push(performance.now() - s);
    }
    const sum = summarize(samples, performance.now() - t0);
    console.log(
      '  pointer flip + NOTIFY + verified reload + new ONNX session: ' +
        `p50 ${sum.p50.toFixed(1)} ms  p95 ${sum.p95.toFixed(1)} ms  p99 ${sum.p99.toFixed(1)} ms  (n=${sum.n})`,
    );
  } finally {
    for (const c of caches) await c.stop();
    await pool.end();
    await servers.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
