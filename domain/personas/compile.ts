/**
 * A persona with its expressions parsed once: what the behaviour engine runs. A bad
 * expression is refused here with the path of the field that holds it, so a loader can point
 * at the line of the file.
 */
import { ExpressionError, parseAction, parseCondition, type Action, type Expr } from './expression';
import type { KnobTrigger, PersonaSpec } from './types';

export interface CompiledTrigger extends KnobTrigger {
  readonly when: Expr;
  readonly act: Action;
}

export interface CompiledPersona {
  readonly spec: PersonaSpec;
  readonly triggers: readonly CompiledTrigger[];
  readonly tiltEnter: Expr;
  readonly tiltExit: Expr;
  readonly fatigueEnter: Expr;
}

/** An expression that does not parse, with the path of its field (e.g. knob_behavior.triggers.0.condition). */
export class PersonaExpressionError extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    readonly expressionError: ExpressionError,
  ) {
    super(`${path.join('.')}: ${expressionError.message}`);
    this.name = 'PersonaExpressionError';
  }
}

function at<T>(path: (string | number)[], parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof ExpressionError) throw new PersonaExpressionError(path, e);
    throw e;
  }
}

export function compilePersona(spec: PersonaSpec): CompiledPersona {
  const triggers = spec.knob_behavior.triggers.map((t, i) => ({
    ...t,
    when: at(['knob_behavior', 'triggers', i, 'condition'], () => parseCondition(t.condition)),
    act: at(['knob_behavior', 'triggers', i, 'action'], () => parseAction(t.action)),
  }));
  const { tilt, fatigue } = spec.psychology;
  return {
    spec,
    triggers,
    tiltEnter: at(['psychology', 'tilt', 'enter'], () => parseCondition(tilt.enter)),
    tiltExit: at(['psychology', 'tilt', 'exit'], () => parseCondition(tilt.exit)),
    fatigueEnter: at(['psychology', 'fatigue', 'enter'], () => parseCondition(fatigue.enter)),
  };
}
