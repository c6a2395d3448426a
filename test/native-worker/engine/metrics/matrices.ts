// Dense-matrix helpers for the metric tests: random and structured matrices
// with known spectra, products, inverse, determinant, and a check that two
// lists of complex eigenvalues agree up to order.

import { expect } from 'vitest';
import type { Rng } from '../../../../native-worker/engine/prng';

export type Complex = [re: number, im: number];

export function gaussian(n: number, rng: Rng, scale = 1): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = scale * rng.normal();
  return a;
}

export function diagonal(d: readonly number[]): Float64Array {
  const n = d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) a[i * n + i] = d[i];
  return a;
}

/** A random orthogonal matrix: Gram–Schmidt (twice) on the columns of a Gaussian matrix. */
export function orthogonal(n: number, rng: Rng): Float64Array {
  const q = gaussian(n, rng);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * n + p] * q[i * n + j];
        for (let i = 0; i < n; i++) q[i * n + j] -= d * q[i * n + p];
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += q[i * n + j] ** 2;
    s = Math.sqrt(s);
    for (let i = 0; i < n; i++) q[i * n + j] /= s;
  }
  return q;
}

export function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

export function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}

/** Gauss–Jordan inverse with partial pivoting. */
export function inverse(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = diagonal(new Array<number>(n).fill(1));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    for (let j = 0; j < n; j++) {
      [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
      [inv[c * n + j], inv[p * n + j]] = [inv[p * n + j], inv[c * n + j]];
    }
    const d = m[c * n + c];
    for (let j = 0; j < n; j++) {
      m[c * n + j] /= d;
      inv[c * n + j] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c];
      for (let j = 0; j < n; j++) {
        m[r * n + j] -= f * m[c * n + j];
        inv[r * n + j] -= f * inv[c * n + j];
      }
    }
  }
  return inv;
}

/** Determinant by LU with partial pivoting. */
export function determinant(a: Float64Array, n: number): number {
  const m = Float64Array.from(a);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (p !== c) {
      det = -det;
      for (let j = 0; j < n; j++) [m[c * n + j], m[p * n + j]] = [m[p * n + j], m[c * n + j]];
    }
    const d = m[c * n + c];
    det *= d;
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / d;
      for (let j = c; j < n; j++) m[r * n + j] -= f * m[c * n + j];
    }
  }
  return det;
}

/** Block-diagonal matrix of 2×2 blocks r·[[cos θ, −sin θ], [sin θ, cos θ]] (eigenvalues r·e^{±iθ}) and 1×1 blocks. */
export function blocks(parts: readonly ({ r: number; theta: number } | number)[]): Float64Array {
  const n = parts.reduce<number>((s, p) => s + (typeof p === 'number' ? 1 : 2), 0);
  const a = new Float64Array(n * n);
  let i = 0;
  for (const p of parts) {
    if (typeof p === 'number') {
      a[i * n + i] = p;
      i += 1;
    } else {
      const c = p.r * Math.cos(p.theta);
      const s = p.r * Math.sin(p.theta);
      a[i * n + i] = c;
      a[i * n + i + 1] = -s;
      a[(i + 1) * n + i] = s;
      a[(i + 1) * n + i + 1] = c;
      i += 2;
    }
  }
  return a;
}

/** The eigenvalues a blocks() matrix has. */
export function blockSpectrum(parts: readonly ({ r: number; theta: number } | number)[]): Complex[] {
  return parts.flatMap((p): Complex[] =>
    typeof p === 'number'
      ? [[p, 0]]
      : [
          [p.r * Math.cos(p.theta), p.r * Math.sin(p.theta)],
          [p.r * Math.cos(p.theta), -p.r * Math.sin(p.theta)],
        ],
  );
}

export function pairs(e: Float64Array): Complex[] {
  const out: Complex[] = [];
  for (let i = 0; i < e.length; i += 2) out.push([e[i], e[i + 1]]);
  return out;
}

/** Every expected eigenvalue is within tol of a distinct computed one (greedy nearest matching). */
export function expectSpectrum(actual: Float64Array, expected: readonly Complex[], tol: number): void {
  const got = pairs(actual);
  expect(got.length).toBe(expected.length);
  const used = new Array<boolean>(got.length).fill(false);
  for (const [re, im] of expected) {
    let best = -1;
    let dist = Infinity;
    for (let i = 0; i < got.length; i++) {
      if (used[i]) continue;
      const d = Math.hypot(got[i][0] - re, got[i][1] - im);
      if (d < dist) {
        dist = d;
        best = i;
      }
    }
    used[best] = true;
    expect(dist, `eigenvalue ${re} + ${im}i`).toBeLessThanOrEqual(tol);
  }
}
