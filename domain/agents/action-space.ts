/**
 * The agents' action space is exactly the eight structure templates (domain/strategies): the
 * closed union StructureKind at compile time, and isArm / assertArm wherever a value crosses a
 * boundary (a stored state, a caller's mask, a subclass's choice) at run time.
 */
import { STRUCTURE_KINDS, type StructureKind } from '../strategies/types';

export const ARMS: readonly StructureKind[] = STRUCTURE_KINDS;

/** A score for every one of the eight arms and nothing else. */
export type ArmScores = Readonly<Record<StructureKind, number>>;

export class InvalidArmError extends Error {
  constructor(
    readonly value: unknown,
    readonly where: string,
  ) {
    super(`${where}: ${JSON.stringify(value)} is not one of the eight structures (${ARMS.join(', ')})`);
    this.name = 'InvalidArmError';
  }
}

export function isArm(value: unknown): value is StructureKind {
  return typeof value === 'string' && (ARMS as readonly string[]).includes(value);
}

export function assertArm(value: unknown, where: string): StructureKind {
  if (!isArm(value)) throw new InvalidArmError(value, where);
  return value;
}

/** Checks a score object has exactly the eight arms, each a finite number. */
export function assertArmScores(scores: unknown, where: string): ArmScores {
  if (typeof scores !== 'object' || scores === null) throw new InvalidArmError(scores, where);
  for (const key of Object.keys(scores)) assertArm(key, where);
  for (const arm of ARMS) {
    const v = (scores as Record<string, unknown>)[arm];
    if (typeof v !== 'number' || Number.isNaN(v)) throw new RangeError(`${where}: score of ${arm} is ${String(v)}`);
  }
  return scores as ArmScores;
}
