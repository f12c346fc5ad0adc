import {
  applyAction,
  evaluateCondition,
  ExpressionError,
  parseAction,
  parseCondition,
  VARIABLES,
  type Variables,
} from './expression';

const vars = (over: Partial<Variables> = {}): Variables => ({
  ...(Object.fromEntries(VARIABLES.map((v) => [v, 0])) as Record<(typeof VARIABLES)[number], number>),
  ...over,
});

describe('persona conditions', () => {
  it.each([
    ['consecutive_wins >= 3', { consecutive_wins: 3 }, true],
    ['consecutive_wins >= 3', { consecutive_wins: 2 }, false],
    ['drawdown_pct > 5 and trades_today < 4', { drawdown_pct: 6, trades_today: 3 }, true],
    ['drawdown_pct > 5 and trades_today < 4', { drawdown_pct: 6, trades_today: 4 }, false],
    ['day_pnl_pct < -2 or consecutive_losses >= 3', { day_pnl_pct: -1, consecutive_losses: 3 }, true],
    ['not (knob > 50)', { knob: 40 }, true],
    ['knob * 2 - 10 == initial_knob + 5', { knob: 40, initial_knob: 65 }, true],
    ['(knob + 10) / 2 != 25', { knob: 40 }, false],
    ['trades_5d / 0 == 0', { trades_5d: 7 }, true],
  ] as const)('%s with %j is %s', (src, over, expected) => {
    expect(evaluateCondition(parseCondition(src), vars(over))).toBe(expected);
  });

  it('binds and tighter than or, comparison tighter than both', () => {
    const e = parseCondition('knob > 1 or knob > 5 and knob < 3');
    expect(evaluateCondition(e, vars({ knob: 2 }))).toBe(true); // knob > 1 or (false)
  });

  it.each([
    ['consecutive_winz >= 3', 1, /unknown variable "consecutive_winz" \(did you mean consecutive_wins\?\)/],
    ['knob >= ', 9, /expected a number, a variable or "\(", got the end/],
    ['knob = 5', 6, /"=" assigns; compare with "=="/],
    ['knob + 5', 1, /a condition must compare something/],
    ['knob > 5 and 3', 10, /"and" needs a true\/false comparison, got a number/],
    ['(knob > 5', 10, /expected "\)" to close the "\(" at column 1/],
    ['knob > 5 extra', 10, /unexpected "extra"/],
    ['knob $ 5', 6, /unexpected character "\$"/],
    ['5knob > 1', 1, /"5" runs into a name/],
    ['', 1, /empty condition/],
    ['(knob > 1) + 2 > 1', 12, /"\+" needs a number, got a boolean/],
  ])('refuses %j at column %d', (src, column, message) => {
    let err: unknown;
    try {
      parseCondition(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpressionError);
    expect((err as ExpressionError).column).toBe(column);
    expect((err as Error).message).toMatch(message);
  });

  it('never evaluates code: a JavaScript expression is just a parse error', () => {
    expect(() => parseCondition('process.exit(1) > 0')).toThrow(ExpressionError);
    expect(() => parseCondition('knob > 1; throw 1')).toThrow(/unexpected character ";"/);
  });
});

describe('persona actions', () => {
  it.each([
    ['knob += 5', 70, 75],
    ['knob -= 10', 70, 60],
    ['knob = initial_knob', 90, 50],
    ['knob = (knob + initial_knob) / 2', 90, 70],
  ])('%s from %d gives %d', (src, knob, expected) => {
    expect(applyAction(parseAction(src), vars({ knob, initial_knob: 50 }))).toBe(expected);
  });

  it.each([
    ['capital += 5', /an action assigns to knob; got "capital"/],
    ['knob ++ 5', /expected "=", "\+=" or "-=" after knob/],
    ['knob += knob > 3', /unexpected ">"/],
    ['knob +=', /expected a number, a variable or "\(", got the end/],
  ])('refuses %j', (src, message) => {
    expect(() => parseAction(src)).toThrow(message);
  });
});
