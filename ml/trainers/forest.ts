/**
 * Random-forest regression with ml-random-forest (CART trees from ml-cart), trained a few trees
 * at a time so the caller can heartbeat, and flattened into arrays: the form the ONNX exporter
 * writes and the TypeScript reference evaluates. ml-cart sends x to the left child when
 * x[feature] < threshold (BRANCH_LT).
 */
import { RandomForestRegression } from 'ml-random-forest';
import { yieldToEventLoop } from './trainer';

export interface FlatTree {
  /** Per node: original feature index (−1 at leaves), threshold, children (−1 at leaves), leaf value. */
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
}

export interface Forest {
  readonly nFeatures: number;
  readonly trees: FlatTree[];
}

export interface ForestOptions {
  readonly nEstimators: number;
  readonly maxDepth: number;
  readonly minNumSamples: number;
  readonly maxFeatures: number;
  readonly seed: number;
  /** Trees trained per call between yields. */
  readonly chunk?: number;
}

interface CartNode {
  splitColumn?: number;
  splitValue?: number;
  left?: CartNode;
  right?: CartNode;
  distribution?: number;
}

function flatten(root: CartNode, columns: readonly number[]): FlatTree {
  const t: FlatTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const visit = (n: CartNode): number => {
    const id = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(0);
    if (n.left && n.right) {
      t.feature[id] = columns[n.splitColumn!]!;
      t.threshold[id] = n.splitValue!;
      t.left[id] = visit(n.left);
      t.right[id] = visit(n.right);
    } else {
      if (typeof n.distribution !== 'number' || !Number.isFinite(n.distribution))
        throw new Error('forest: leaf without a value');
      t.value[id] = n.distribution;
    }
    return id;
  };
  visit(root);
  return t;
}

export async function trainForest(
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  options: ForestOptions,
  onTree?: (done: number, total: number) => void,
): Promise<Forest> {
  const chunk = options.chunk ?? 4;
  const trees: FlatTree[] = [];
  for (let start = 0; start < options.nEstimators; start += chunk) {
    const n = Math.min(chunk, options.nEstimators - start);
    const rf = new RandomForestRegression({
      nEstimators: n,
      maxFeatures: options.maxFeatures,
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      seed: options.seed + start,
      treeOptions: { maxDepth: options.maxDepth, minNumSamples: options.minNumSamples },
    });
    rf.train(
      xs.map((x) => [...x]),
      [...ys],
    );
    const estimators = (rf as unknown as { estimators: Array<{ root: CartNode }>; indexes: number[][] }).estimators;
    const indexes = (rf as unknown as { indexes: number[][] }).indexes;
    estimators.forEach((est, i) => trees.push(flatten(est.root, indexes[i]!)));
    onTree?.(trees.length, options.nEstimators);
    await yieldToEventLoop();
  }
  return { nFeatures: xs[0]!.length, trees };
}

/** The TypeScript reference: mean of the trees' leaf values. */
export function predictForest(forest: Forest, x: readonly number[]): number {
  let sum = 0;
  for (const t of forest.trees) {
    let i = 0;
    while (t.left[i]! >= 0) i = x[t.feature[i]!]! < t.threshold[i]! ? t.left[i]! : t.right[i]!;
    sum += t.value[i]!;
  }
  return sum / forest.trees.length;
}
