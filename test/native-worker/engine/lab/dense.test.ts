// The lab's dense algebra against matrices built with a known answer:
// Q diag(λ) Qᵀ for the symmetric eigen-solver, Q₁ diag(σ) Q₂ᵀ for the
// spectral norm, and A x for the linear solve.

import { describe, expect, it } from 'vitest';
import { largestSymmetricEigenvalue, solve, spectralNorm, symmetricEigen } from '../../../../native-worker/engine/lab/dense';
import { Rng } from '../../../../native-worker/engine/prng';
import { diagonal, gaussian, multiply, orthogonal, transpose } from '../metrics/matrices';

describe('symmetricEigen', () => {
  it('gives the known spectrum of Q diag(λ) Qᵀ, descending, with eigenvectors A v = λ v', () => {
    const rng = new Rng(11);
    for (const n of [1, 2, 5, 17, 40]) {
      const lambda = Array.from({ length: n }, () => rng.range(-3, 3));
      const q = orthogonal(n, rng);
      const a = multiply(multiply(q, diagonal(lambda), n), transpose(q, n), n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = (a[i * n + j] + a[j * n + i]) / 2;
      const { values, vectors } = symmetricEigen(a, n);
      const sorted = [...lambda].sort((x, y) => y - x);
      for (let i = 0; i < n; i++) expect(values[i]).toBeCloseTo(sorted[i], 12);
      for (let c = 0; c < n; c++) {
        for (let i = 0; i < n; i++) {
          let av = 0;
          for (let k = 0; k < n; k++) av += a[i * n + k] * vectors[k * n + c];
          expect(Math.abs(av - values[c] * vectors[i * n + c])).toBeLessThan(1e-12);
        }
      }
    }
  });
});

describe('largestSymmetricEigenvalue', () => {
  it('is the largest (not the largest in modulus) of the known spectrum of Q diag(λ) Qᵀ, to the last bits', () => {
    const rng = new Rng(14);
    for (const n of [1, 2, 3, 9, 33, 64]) {
      const lambda = Array.from({ length: n }, () => rng.range(-4, 2));
      lambda[0] = -5; // the largest in modulus is negative: it must not be the answer
      const q = orthogonal(n, rng);
      const a = multiply(multiply(q, diagonal(lambda), n), transpose(q, n), n);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = (a[i * n + j] + a[j * n + i]) / 2;
      const want = n === 1 ? -5 : Math.max(...lambda);
      expect(Math.abs(largestSymmetricEigenvalue(a, n) - want), `n = ${n}`).toBeLessThan(1e-13 * 5);
    }
  });

  it('of a diagonal, a zero and an already tridiagonal matrix', () => {
    expect(largestSymmetricEigenvalue(diagonal([1, 7, -9, 3]), 4)).toBe(7);
    expect(largestSymmetricEigenvalue(new Float64Array(16), 4)).toBe(0);
    // the path graph P_4: eigenvalues 2 cos(kπ/5)
    const path = Float64Array.of(0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0);
    expect(largestSymmetricEigenvalue(path, 4)).toBeCloseTo(2 * Math.cos(Math.PI / 5), 15);
  });
});

describe('spectralNorm', () => {
  it('is the largest of the singular values σ of Q₁ diag(σ) Q₂ᵀ', () => {
    const rng = new Rng(12);
    for (const n of [1, 3, 8, 30]) {
      const sigma = Array.from({ length: n }, () => rng.range(0, 5));
      const a = multiply(multiply(orthogonal(n, rng), diagonal(sigma), n), transpose(orthogonal(n, rng), n), n);
      expect(spectralNorm(a, n, n) / Math.max(...sigma)).toBeCloseTo(1, 13);
    }
  });

  it('of a rectangular matrix and of zero', () => {
    expect(spectralNorm(Float64Array.of(3, 0, 0, 0, 4, 0), 2, 3)).toBeCloseTo(4, 14);
    expect(spectralNorm(new Float64Array(9), 3, 3)).toBe(0);
  });
});

describe('solve', () => {
  it('recovers x from A x, and says null for a singular A', () => {
    const rng = new Rng(13);
    const n = 12;
    const a = gaussian(n, rng);
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
    const got = solve(a, b, n)!;
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(x[i], 10);
    expect(solve(Float64Array.of(1, 2, 2, 4), Float64Array.of(1, 1), 2)).toBeNull();
  });
});
