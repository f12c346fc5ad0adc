/**
 * FACTORS: the Layer 1 library, every factor once. Names are unique (checked at load, so a
 * duplicate fails every test and every worker at start rather than overwriting a value).
 */
import { CALENDAR_FACTORS } from './calendar-factors';
import { GAMMA_FACTORS } from './dealer-gamma';
import { IMPLIED_VOL_FACTORS } from './implied-vol';
import { MOMENTUM_FACTORS } from './momentum';
import { OI_FLOW_FACTORS } from './oi-flow';
import type { Factor } from './types';
import { VOLATILITY_FACTORS } from './volatility';

function unique(factors: readonly Factor[]): readonly Factor[] {
  const seen = new Set<string>();
  for (const f of factors) {
    if (seen.has(f.name)) throw new Error(`duplicate factor name ${f.name}`);
    seen.add(f.name);
  }
  return Object.freeze([...factors]);
}

export const FACTORS: readonly Factor[] = unique([
  ...VOLATILITY_FACTORS,
  ...IMPLIED_VOL_FACTORS,
  ...OI_FLOW_FACTORS,
  ...GAMMA_FACTORS,
  ...MOMENTUM_FACTORS,
  ...CALENDAR_FACTORS,
]);

export function factorByName(name: string): Factor | undefined {
  return FACTORS.find((f) => f.name === name);
}
