/** @jest-environment ./ml/onnx/jest-environment.js */
/**
 * ONNX parity: the exported graphs, run by onnxruntime-node, give the TypeScript reference's
 * outputs to 1e-5 on held-out and perturbed inputs (including inputs exactly on a tree
 * threshold, where BRANCH_LT must agree with the reference's `<`).
 */
import { OnnxModel } from '../adapters/onnx';
import { simulatorRows } from '../data/datasets';
import { toExamples } from '../data/rule1';
import { Rng } from '../../domain/random';
import { predictForest, trainForest } from '../trainers/forest';
import { fitLogistic, predictLogistic } from '../trainers/logistic';
import { strikeSelectorTrainer } from '../trainers/strike-selector';
import { trendClassifierTrainer } from '../trainers/trend-classifier';
import { logisticToOnnx } from './logistic-graph';
import { decodeModel } from './proto';
import { forestToOnnx } from './tree-ensemble';

const TOL = 1e-5;

function perturbed(rows: readonly (readonly number[])[], seed: string): number[][] {
  const rng = new Rng(seed);
  return rows.map((r) => r.map((v) => v * (1 + 0.3 * rng.normal()) + 0.05 * rng.normal()));
}

describe('ONNX export parity with the TypeScript reference (onnxruntime-node)', () => {
  it('trend classifier: logistic regression graph', async () => {
    const ex = toExamples(simulatorRows('trend_classifier', '2026-05-22', 12), trendClassifierTrainer.featureSchema);
    const state = fitLogistic(
      ex.map((e) => e.x),
      ex.map((e) => e.y),
      ex.map((e) => e.weight),
    );
    const bytes = logisticToOnnx(state, {
      typeId: 'trend_classifier',
      features: trendClassifierTrainer.featureSchema.features,
    });
    expect(decodeModel(bytes).graph?.node?.map((n) => n.opType)).toEqual(['Sub', 'Div', 'MatMul', 'Add', 'Sigmoid']);
    const model = await OnnxModel.fromBytes(bytes, state.weights.length);
    try {
      const inputs = [
        ...ex.map((e) => [...e.x]),
        ...perturbed(
          ex.slice(0, 300).map((e) => e.x),
          'trend-parity',
        ),
      ];
      const onnx = await model.predict(inputs);
      let worst = 0;
      inputs.forEach((x, i) => (worst = Math.max(worst, Math.abs(onnx[i]! - predictLogistic(state, x)))));
      expect(inputs.length).toBeGreaterThan(1000);
      expect(worst).toBeLessThan(TOL);
    } finally {
      await model.release();
    }
  });

  it('strike selector: random forest as TreeEnsembleRegressor', async () => {
    const ex = toExamples(simulatorRows('strike_selector', '2026-05-22', 4), strikeSelectorTrainer.featureSchema);
    const forest = await trainForest(
      ex.map((e) => e.x),
      ex.map((e) => e.y),
      { nEstimators: 6, maxDepth: 5, minNumSamples: 10, maxFeatures: 0.8, seed: 11 },
    );
    const bytes = forestToOnnx(forest, {
      typeId: 'strike_selector',
      features: strikeSelectorTrainer.featureSchema.features,
    });
    const proto = decodeModel(bytes);
    expect(proto.opsetImport.map((o) => `${o.domain}:${o.version}`)).toContain('ai.onnx.ml:3');
    expect(proto.graph?.node?.[0]?.opType).toBe('TreeEnsembleRegressor');

    // Inputs exactly on each split threshold: the ONNX BRANCH_LT rule and the reference must agree.
    const onThresholds: number[][] = [];
    for (const t of forest.trees) {
      t.feature.forEach((f, i) => {
        if (f < 0 || onThresholds.length >= 200) return;
        const x = [...ex[i % ex.length]!.x];
        x[f] = t.threshold[i]!;
        onThresholds.push(x);
      });
    }
    const inputs = [
      ...ex.map((e) => [...e.x]),
      ...perturbed(
        ex.map((e) => e.x),
        'forest-parity',
      ),
      ...onThresholds,
    ];
    const model = await OnnxModel.fromBytes(bytes, forest.nFeatures);
    try {
      const onnx = await model.predict(inputs);
      let worst = 0;
      inputs.forEach((x, i) => (worst = Math.max(worst, Math.abs(onnx[i]! - predictForest(forest, x)))));
      expect(onThresholds.length).toBeGreaterThan(20);
      expect(worst).toBeLessThan(TOL);
    } finally {
      await model.release();
    }
  });

  it('a released session refuses to run (the hot-swap frees the old one)', async () => {
    const state = { mean: [0], scale: [1], weights: [2], bias: -1 };
    const model = await OnnxModel.fromBytes(logisticToOnnx(state, { typeId: 't', features: ['a'] }), 1);
    expect((await model.predict([[0.5]]))[0]).toBeCloseTo(predictLogistic(state, [0.5]), 12);
    await model.release();
    await expect(model.predict([[0.5]])).rejects.toThrow(/released/);
  });
});
