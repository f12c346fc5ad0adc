/** Holdout splits by group (trading date), so no day leaks between train and holdout. */
import type { Example } from './rule1';

export type HoldoutMode = 'tail' | 'interleave';

export interface HoldoutSpec {
  readonly fraction: number;
  /** tail: the latest days (forecasting models); interleave: every k-th day (distribution models). */
  readonly mode: HoldoutMode;
}

export function splitHoldout(
  examples: readonly Example[],
  spec: HoldoutSpec,
): { train: Example[]; holdout: Example[] } {
  const groups = [...new Set(examples.map((e) => e.group))].sort();
  if (groups.length < 2) throw new Error(`need at least 2 days of data for a holdout, got ${groups.length}`);
  const nHold = Math.max(1, Math.round(groups.length * spec.fraction));
  let held: Set<string>;
  if (spec.mode === 'tail') held = new Set(groups.slice(groups.length - nHold));
  else {
    const step = groups.length / nHold;
    held = new Set(
      Array.from({ length: nHold }, (_, k) => groups[Math.min(groups.length - 1, Math.floor(k * step + step / 2))]!),
    );
  }
  return { train: examples.filter((e) => !held.has(e.group)), holdout: examples.filter((e) => held.has(e.group)) };
}
