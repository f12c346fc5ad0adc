/**
 * A flattened forest as an ai.onnx.ml TreeEnsembleRegressor (opset 3). Thresholds and leaf
 * values go in as float64 tensors (nodes_values_as_tensor, target_weights_as_tensor) and the
 * input is float64, so every branch is decided exactly as in the TypeScript reference; only
 * the operator's output is float32.
 */
import type { Forest } from '../trainers/forest';
import { attr, DataType, doubleTensor, encodeModel, node, valueInfo } from './proto';

export const FOREST_INPUT = 'features';
export const FOREST_OUTPUT = 'prediction';

export function forestToOnnx(forest: Forest, meta: { typeId: string; features: readonly string[] }): Buffer {
  if (meta.features.length !== forest.nFeatures)
    throw new Error(`feature names (${meta.features.length}) do not match the forest (${forest.nFeatures})`);
  const n = {
    tree: [] as number[],
    id: [] as number[],
    feature: [] as number[],
    value: [] as number[],
    mode: [] as string[],
    yes: [] as number[],
    no: [] as number[],
    missing: [] as number[],
  };
  const target = { tree: [] as number[], node: [] as number[], id: [] as number[], weight: [] as number[] };
  forest.trees.forEach((t, ti) => {
    for (let i = 0; i < t.feature.length; i++) {
      const leaf = t.left[i]! < 0;
      n.tree.push(ti);
      n.id.push(i);
      n.feature.push(leaf ? 0 : t.feature[i]!);
      n.value.push(leaf ? 0 : t.threshold[i]!);
      n.mode.push(leaf ? 'LEAF' : 'BRANCH_LT');
      n.yes.push(leaf ? 0 : t.left[i]!);
      n.no.push(leaf ? 0 : t.right[i]!);
      n.missing.push(0);
      if (leaf) {
        target.tree.push(ti);
        target.node.push(i);
        target.id.push(0);
        target.weight.push(t.value[i]!);
      }
    }
  });
  const ensemble = node(
    'TreeEnsembleRegressor',
    [FOREST_INPUT],
    [FOREST_OUTPUT],
    [
      attr('n_targets', 1),
      attr('aggregate_function', 'AVERAGE'),
      attr('post_transform', 'NONE'),
      attr('nodes_treeids', n.tree),
      attr('nodes_nodeids', n.id),
      attr('nodes_featureids', n.feature),
      attr('nodes_values_as_tensor', doubleTensor('', [n.value.length], n.value)),
      attr('nodes_modes', n.mode),
      attr('nodes_truenodeids', n.yes),
      attr('nodes_falsenodeids', n.no),
      attr('nodes_missing_value_tracks_true', n.missing),
      attr('target_treeids', target.tree),
      attr('target_nodeids', target.node),
      attr('target_ids', target.id),
      attr('target_weights_as_tensor', doubleTensor('', [target.weight.length], target.weight)),
    ],
    'ai.onnx.ml',
  );
  return encodeModel({
    graphName: meta.typeId,
    docString: `random forest of ${forest.trees.length} regression trees`,
    opsets: { '': 17, 'ai.onnx.ml': 3 },
    metadata: { type_id: meta.typeId, features: JSON.stringify(meta.features) },
    inputs: [valueInfo(FOREST_INPUT, DataType.DOUBLE, ['N', forest.nFeatures])],
    outputs: [valueInfo(FOREST_OUTPUT, DataType.FLOAT, ['N', 1])],
    nodes: [ensemble],
  });
}
