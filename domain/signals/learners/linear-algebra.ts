/**
 * The little dense linear algebra the learners need (systems of at most a few dozen unknowns):
 * Cholesky factorisation of a symmetric positive-definite matrix, solves and inverses through it.
 * Plain number[][] so states stay JSON.
 */

export type Matrix = number[][];

export function identity(n: number, scale = 1): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? scale : 0)));
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function matVec(m: readonly (readonly number[])[], v: readonly number[]): number[] {
  return m.map((row) => dot(row, v));
}

/** Lower-triangular L with L·Lᵀ = a; throws when a is not (numerically) positive definite. */
export function cholesky(a: readonly (readonly number[])[]): Matrix {
  const n = a.length;
  const l: Matrix = identity(n, 0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError(`matrix is not positive definite (pivot ${i}: ${s})`);
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

/** x with a·x = b for symmetric positive-definite a. */
export function solveSpd(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const l = cholesky(a);
  const n = b.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/** Inverse of a symmetric positive-definite matrix, column by column. */
export function invertSpd(a: readonly (readonly number[])[]): Matrix {
  const n = a.length;
  const eye = identity(n);
  const cols = eye.map((e) => solveSpd(a, e));
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]!));
}
