/**
 * A fitted logistic regression as an ONNX graph (opset 17, float64 throughout so the graph
 * computes what the TypeScript reference computes): X[N,F] → Sub(mean) → Div(scale) →
 * MatMul(weights) → Add(bias) → Sigmoid → probability[N,1].
 */
import type { LogisticState } from '../trainers/logistic';
import { DataType, doubleTensor, encodeModel, node, valueInfo } from './proto';

export const LOGISTIC_INPUT = 'features';
export const LOGISTIC_OUTPUT = 'probability';

export function logisticToOnnx(state: LogisticState, meta: { typeId: string; features: readonly string[] }): Buffer {
  const f = state.weights.length;
  if (meta.features.length !== f)
    throw new Error(`feature names (${meta.features.length}) do not match the weights (${f})`);
  return encodeModel({
    graphName: meta.typeId,
    docString: 'logistic regression on standardised features',
    opsets: { '': 17 },
    metadata: { type_id: meta.typeId, features: JSON.stringify(meta.features) },
    inputs: [valueInfo(LOGISTIC_INPUT, DataType.DOUBLE, ['N', f])],
    outputs: [valueInfo(LOGISTIC_OUTPUT, DataType.DOUBLE, ['N', 1])],
    initializers: [
      doubleTensor('mean', [f], state.mean),
      doubleTensor('scale', [f], state.scale),
      doubleTensor('weights', [f, 1], state.weights),
      doubleTensor('bias', [1], [state.bias]),
    ],
    nodes: [
      node('Sub', [LOGISTIC_INPUT, 'mean'], ['centred']),
      node('Div', ['centred', 'scale'], ['standardised']),
      node('MatMul', ['standardised', 'weights'], ['logit_raw']),
      node('Add', ['logit_raw', 'bias'], ['logit']),
      node('Sigmoid', ['logit'], [LOGISTIC_OUTPUT]),
    ],
  });
}
