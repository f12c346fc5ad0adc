/**
 * The persona condition/action language: a small grammar, parsed into a tree and evaluated
 * over a persona's state variables. Never `eval`: the only things an expression can do are
 * read the variables listed in `VARIABLES`, do arithmetic, compare and combine with
 * and/or/not, and (actions) assign to `knob`.
 *
 *   condition := or
 *   or        := and ("or" and)*
 *   and       := not ("and" not)*
 *   not       := "not" not | compare
 *   compare   := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
 *   sum       := product (("+" | "-") product)*
 *   product   := unary (("*" | "/") unary)*
 *   unary     := "-" unary | number | variable | "(" or ")"
 *   action    := target ("=" | "+=" | "-=") sum        target := "knob"
 *
 * Conditions must be true/false (a bare number is refused), arithmetic must be on numbers.
 * Errors name the column: `column 20: unknown variable "drawdwn_pct" (did you mean drawdown_pct?)`.
 */

/** Every variable a condition or an action may read (documented in personas/README.md). */
export const VARIABLES = [
  'knob',
  'initial_knob',
  'consecutive_wins',
  'consecutive_losses',
  'drawdown_pct',
  'day_pnl_pct',
  'pnl_5d_pct',
  'trades_today',
  'trades_5d',
  'win_rate_10',
  'equity_pct',
  'days_in_state',
  'day_move_pct',
  'atm_iv',
] as const;
export type Variable = (typeof VARIABLES)[number];
export type Variables = Readonly<Record<Variable, number>>;

/** What an action may change. */
export const ACTION_TARGETS = ['knob'] as const;
export type ActionTarget = (typeof ACTION_TARGETS)[number];

export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'var'; readonly name: Variable }
  | { readonly k: 'neg'; readonly e: Expr }
  | { readonly k: 'arith'; readonly op: '+' | '-' | '*' | '/'; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'cmp'; readonly op: '<' | '<=' | '>' | '>=' | '==' | '!='; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'not'; readonly e: Expr }
  | { readonly k: 'bool'; readonly op: 'and' | 'or'; readonly l: Expr; readonly r: Expr };

export interface Action {
  readonly target: ActionTarget;
  readonly op: '=' | '+=' | '-=';
  readonly value: Expr;
}

export class ExpressionError extends Error {
  constructor(
    readonly source: string,
    /** 1-based column in the source text. */
    readonly column: number,
    readonly detail: string,
  ) {
    super(`column ${column}: ${detail} in "${source}"`);
    this.name = 'ExpressionError';
  }
}

type TokenKind = 'num' | 'ident' | 'op' | '(' | ')' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly col: number;
}

const OPERATORS = ['<=', '>=', '==', '!=', '+=', '-=', '<', '>', '+', '-', '*', '/', '='];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const col = i + 1;
    const num = /^(\d+(\.\d+)?|\.\d+)/.exec(src.slice(i));
    if (num) {
      if (/^[A-Za-z_]/.test(src.slice(i + num[0].length)))
        throw new ExpressionError(src, col, `"${num[0]}" runs into a name`);
      out.push({ kind: 'num', text: num[0], col });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ kind: 'ident', text: id[0], col });
      i += id[0].length;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: c, text: c, col });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(src, col, `unexpected character "${c}"`);
    out.push({ kind: 'op', text: op, col });
    i += op.length;
  }
  out.push({ kind: 'end', text: 'the end', col: src.length + 1 });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not']);

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

function unknownVariable(name: string): string {
  const best = [...VARIABLES].sort((x, y) => distance(name, x) - distance(name, y))[0]!;
  const hint = distance(name, best) <= 3 ? ` (did you mean ${best}?)` : '';
  return `unknown variable "${name}"${hint}`;
}

type Kind = 'number' | 'boolean';
const kindOf = (e: Expr): Kind => (e.k === 'cmp' || e.k === 'not' || e.k === 'bool' ? 'boolean' : 'number');

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly tokens: readonly Token[],
  ) {}

  private get t(): Token {
    return this.tokens[this.pos]!;
  }

  private fail(token: Token, detail: string): never {
    throw new ExpressionError(this.src, token.col, detail);
  }

  private describe(token: Token): string {
    return token.kind === 'end' ? 'the end' : `"${token.text}"`;
  }

  expectEnd(): void {
    if (this.t.kind !== 'end') this.fail(this.t, `unexpected ${this.describe(this.t)}`);
  }

  private need(e: Expr, want: Kind, at: Token, what: string): Expr {
    if (kindOf(e) !== want)
      this.fail(at, `${what} needs ${want === 'number' ? 'a number' : 'a true/false comparison'}, got a ${kindOf(e)}`);
    return e;
  }

  or(): Expr {
    let l = this.and();
    while (this.t.kind === 'ident' && this.t.text === 'or') {
      const at = this.t;
      this.pos++;
      const r = this.and();
      l = { k: 'bool', op: 'or', l: this.need(l, 'boolean', at, '"or"'), r: this.need(r, 'boolean', at, '"or"') };
    }
    return l;
  }

  private and(): Expr {
    let l = this.not();
    while (this.t.kind === 'ident' && this.t.text === 'and') {
      const at = this.t;
      this.pos++;
      const r = this.not();
      l = { k: 'bool', op: 'and', l: this.need(l, 'boolean', at, '"and"'), r: this.need(r, 'boolean', at, '"and"') };
    }
    return l;
  }

  private not(): Expr {
    if (this.t.kind === 'ident' && this.t.text === 'not') {
      const at = this.t;
      this.pos++;
      return { k: 'not', e: this.need(this.not(), 'boolean', at, '"not"') };
    }
    return this.compare();
  }

  private compare(): Expr {
    const l = this.sum();
    const t = this.t;
    if (t.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(t.text)) {
      this.pos++;
      const r = this.sum();
      const op = t.text as Extract<Expr, { k: 'cmp' }>['op'];
      return { k: 'cmp', op, l: this.need(l, 'number', t, `"${op}"`), r: this.need(r, 'number', t, `"${op}"`) };
    }
    if (t.kind === 'op' && t.text === '=') this.fail(t, '"=" assigns; compare with "=="');
    return l;
  }

  sum(): Expr {
    let l = this.product();
    while (this.t.kind === 'op' && (this.t.text === '+' || this.t.text === '-')) {
      const t = this.t;
      this.pos++;
      const r = this.product();
      const op = t.text as '+' | '-';
      l = { k: 'arith', op, l: this.need(l, 'number', t, `"${op}"`), r: this.need(r, 'number', t, `"${op}"`) };
    }
    return l;
  }

  private product(): Expr {
    let l = this.unary();
    while (this.t.kind === 'op' && (this.t.text === '*' || this.t.text === '/')) {
      const t = this.t;
      this.pos++;
      const r = this.unary();
      const op = t.text as '*' | '/';
      l = { k: 'arith', op, l: this.need(l, 'number', t, `"${op}"`), r: this.need(r, 'number', t, `"${op}"`) };
    }
    return l;
  }

  private unary(): Expr {
    const t = this.t;
    if (t.kind === 'op' && t.text === '-') {
      this.pos++;
      return { k: 'neg', e: this.need(this.unary(), 'number', t, '"-"') };
    }
    if (t.kind === 'num') {
      this.pos++;
      return { k: 'num', v: Number(t.text) };
    }
    if (t.kind === 'ident') {
      if (KEYWORDS.has(t.text)) this.fail(t, `expected a number or a variable before "${t.text}"`);
      if (!(VARIABLES as readonly string[]).includes(t.text)) this.fail(t, unknownVariable(t.text));
      this.pos++;
      return { k: 'var', name: t.text as Variable };
    }
    if (t.kind === '(') {
      this.pos++;
      const e = this.or();
      if (this.t.kind !== ')') this.fail(this.t, `expected ")" to close the "(" at column ${t.col}`);
      this.pos++;
      return e;
    }
    return this.fail(t, `expected a number, a variable or "(", got ${this.describe(t)}`);
  }

  action(): Action {
    const target = this.t;
    if (target.kind !== 'ident' || !(ACTION_TARGETS as readonly string[]).includes(target.text))
      this.fail(target, `an action assigns to ${ACTION_TARGETS.join(', ')}; got ${this.describe(target)}`);
    this.pos++;
    const op = this.t;
    if (op.kind !== 'op' || !['=', '+=', '-='].includes(op.text))
      this.fail(op, `expected "=", "+=" or "-=" after ${target.text}, got ${this.describe(op)}`);
    this.pos++;
    const value = this.need(this.sum(), 'number', op, `"${op.text}"`);
    this.expectEnd();
    return { target: target.text as ActionTarget, op: op.text as Action['op'], value };
  }
}

/** Parses a condition (true/false). Throws ExpressionError naming the column. */
export function parseCondition(src: string): Expr {
  if (src.trim() === '') throw new ExpressionError(src, 1, 'empty condition');
  const p = new Parser(src, tokenize(src));
  const e = p.or();
  p.expectEnd();
  if (kindOf(e) !== 'boolean')
    throw new ExpressionError(src, 1, 'a condition must compare something (e.g. "consecutive_wins >= 3")');
  return e;
}

/** Parses an action such as `knob += 5`. Throws ExpressionError naming the column. */
export function parseAction(src: string): Action {
  if (src.trim() === '') throw new ExpressionError(src, 1, 'empty action');
  return new Parser(src, tokenize(src)).action();
}

function num(e: Expr, vars: Variables): number {
  switch (e.k) {
    case 'num':
      return e.v;
    case 'var':
      return vars[e.name];
    case 'neg':
      return -num(e.e, vars);
    case 'arith': {
      const l = num(e.l, vars);
      const r = num(e.r, vars);
      if (e.op === '+') return l + r;
      if (e.op === '-') return l - r;
      if (e.op === '*') return l * r;
      return r === 0 ? 0 : l / r; // a division by zero reads as 0, never Infinity or NaN
    }
    default:
      throw new TypeError(`not a number: ${e.k}`);
  }
}

export function evaluateCondition(e: Expr, vars: Variables): boolean {
  switch (e.k) {
    case 'cmp': {
      const l = num(e.l, vars);
      const r = num(e.r, vars);
      if (e.op === '<') return l < r;
      if (e.op === '<=') return l <= r;
      if (e.op === '>') return l > r;
      if (e.op === '>=') return l >= r;
      if (e.op === '==') return l === r;
      return l !== r;
    }
    case 'not':
      return !evaluateCondition(e.e, vars);
    case 'bool':
      return e.op === 'and'
        ? evaluateCondition(e.l, vars) && evaluateCondition(e.r, vars)
        : evaluateCondition(e.l, vars) || evaluateCondition(e.r, vars);
    default:
      throw new TypeError(`not a condition: ${e.k}`);
  }
}

/** The target's new value (the caller clamps it to its range). */
export function applyAction(a: Action, vars: Variables): number {
  const v = num(a.value, vars);
  const current = vars[a.target];
  return a.op === '=' ? v : a.op === '+=' ? current + v : current - v;
}
