/**
 * The risk castle: seven walls, all evaluated every time (no short-circuit), so the record of
 * a decision shows every wall's verdict and numbers, not just the first refusal.
 */
import { capitalWall } from './walls/capital';
import { eventExpiryWall } from './walls/event-expiry';
import { greeksWall } from './walls/greeks';
import { killSwitchWall } from './walls/kill-switch';
import { lossLimitsWall } from './walls/loss-limits';
import { regimeWall } from './walls/regime';
import { sizeWall } from './walls/size';
import type { CastleInput, Wall, WallName, WallOutcome } from './types';

/** In order of evaluation (and of presentation). */
export const CASTLE_WALLS: readonly Wall[] = [
  killSwitchWall,
  regimeWall,
  sizeWall,
  capitalWall,
  lossLimitsWall,
  greeksWall,
  eventExpiryWall,
];

export interface CastleResult {
  readonly pass: boolean;
  readonly outcomes: readonly WallOutcome[];
  readonly failedWalls: readonly WallName[];
  readonly reasonCodes: readonly string[];
}

export function evaluateCastle(input: CastleInput): CastleResult {
  const outcomes = CASTLE_WALLS.map((wall) => wall(input));
  const failed = outcomes.filter((o) => !o.pass);
  return {
    pass: failed.length === 0,
    outcomes,
    failedWalls: failed.map((o) => o.wall),
    reasonCodes: failed.map((o) => o.reasonCode!),
  };
}
