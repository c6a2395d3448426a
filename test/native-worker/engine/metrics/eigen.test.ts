import { describe, expect, it } from 'vitest';
import { eigenvalues, hessenbergEigenvalues, reduceToHessenberg, spectralRadius } from '../../../../native-worker/engine/metrics/eigen';
import { Rng } from '../../../../native-worker/engine/prng';
import {
  blocks,
  blockSpectrum,
  type Complex,
  determinant,
  diagonal,
  expectSpectrum,
  gaussian,
  inverse,
  multiply,
  orthogonal,
  pairs,
  transpose,
} from './matrices';

/** Q A Qᵀ for a random orthogonal Q: same spectrum, no structure left. */
function hideStructure(a: Float64Array, n: number, rng: Rng): Float64Array {
  const q = orthogonal(n, rng);
  return multiply(multiply(q, a, n), transpose(q, n), n);
}

describe('eigenvalues: small cases', () => {
  it('n = 0 gives no eigenvalues', () => {
    expect(eigenvalues([], 0, 0)).toEqual(new Float64Array(0));
  });

  it('n = 1 gives the entry itself', () => {
    expect(Array.from(eigenvalues([-2.5], 0, 1))).toEqual([-2.5, 0]);
  });

  it('n = 2 with real eigenvalues (5 ± √33)/2', () => {
    const e = eigenvalues([1, 2, 3, 4], 0, 2);
    expect(e[0]).toBeCloseTo((5 + Math.sqrt(33)) / 2, 14);
    expect(e[2]).toBeCloseTo((5 - Math.sqrt(33)) / 2, 14);
    expect(e[1]).toBe(0);
    expect(e[3]).toBe(0);
  });

  it('n = 2 rotation gives ±i, +i first', () => {
    expect(Array.from(eigenvalues([0, -1, 1, 0], 0, 2))).toEqual([0, 1, 0, -1]);
  });

  it('n = 2 with complex pair 1 ± 2i from a non-normal matrix', () => {
    // [[1, -4], [1, 1]]: trace 2, det 5, so λ = 1 ± 2i.
    expectSpectrum(
      eigenvalues([1, -4, 1, 1], 0, 2),
      [
        [1, 2],
        [1, -2],
      ],
      1e-14,
    );
  });

  it('a defective 2×2 Jordan block gives its double eigenvalue', () => {
    // Eigenvalues of a Jordan block are sensitive to rounding at sqrt(ε).
    expectSpectrum(
      eigenvalues([2, 1, 0, 2], 0, 2),
      [
        [2, 0],
        [2, 0],
      ],
      1e-7,
    );
  });
});

describe('eigenvalues: known spectra', () => {
  it('a diagonal matrix gives its diagonal exactly, sorted by modulus', () => {
    const e = eigenvalues(diagonal([0.5, -3, 2, 0, -0.25, 1, -1]), 0, 7);
    expect(Array.from(e)).toEqual([-3, 0, 2, 0, 1, 0, -1, 0, 0.5, 0, -0.25, 0, 0, 0]);
  });

  it('triangular matrices give their diagonals', () => {
    const rng = new Rng(1);
    const n = 12;
    const d = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1) * (0.3 + 0.2 * i));
    const upper = gaussian(n, rng);
    const lower = gaussian(n, rng);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i > j) upper[i * n + j] = 0;
        if (i < j) lower[i * n + j] = 0;
      }
      upper[i * n + i] = d[i];
      lower[i * n + i] = d[i];
    }
    const expected = d.map((x): Complex => [x, 0]);
    expectSpectrum(eigenvalues(upper, 0, n), expected, 1e-10);
    expectSpectrum(eigenvalues(lower, 0, n), expected, 1e-10);
  });

  it('rotation blocks give complex pairs r·e^{±iθ}, also when hidden by an orthogonal similarity', () => {
    const parts = [{ r: 1.2, theta: 0.3 }, { r: 0.9, theta: 2.5 }, -0.7, { r: 0.4, theta: 1.4 }, 0.1, { r: 1.5, theta: 3.0 }];
    const a = blocks(parts);
    const n = Math.sqrt(a.length);
    expectSpectrum(eigenvalues(a, 0, n), blockSpectrum(parts), 1e-14);
    expectSpectrum(eigenvalues(hideStructure(a, n, new Rng(2)), 0, n), blockSpectrum(parts), 1e-12);
  });

  it('a companion matrix gives the roots of its polynomial', () => {
    const roots: Complex[] = [
      [3, 0],
      [-2, 0],
      [1.5, 0],
      [0.5, 0],
      [-0.25, 0],
      [1, 2],
      [1, -2],
      [-0.5, 0.5],
      [-0.5, -0.5],
    ];
    // Coefficients of Π (x − r), highest power first, in complex arithmetic.
    let poly: Complex[] = [[1, 0]];
    for (const [rr, ri] of roots) {
      const next: Complex[] = poly.map(([a, b]) => [a, b]);
      next.push([0, 0]);
      for (let i = 0; i < poly.length; i++) {
        next[i + 1][0] -= rr * poly[i][0] - ri * poly[i][1];
        next[i + 1][1] -= rr * poly[i][1] + ri * poly[i][0];
      }
      poly = next;
    }
    for (const [, im] of poly) expect(Math.abs(im)).toBeLessThan(1e-12);
    const n = roots.length;
    const c = new Float64Array(n * n);
    for (let j = 0; j < n; j++) c[j] = -poly[j + 1][0];
    for (let i = 1; i < n; i++) c[i * n + i - 1] = 1;
    expectSpectrum(eigenvalues(c, 0, n), roots, 1e-9);
  });

  it('a random orthogonal matrix has every |λ| = 1', () => {
    const n = 30;
    const e = pairs(eigenvalues(orthogonal(n, new Rng(3)), 0, n));
    for (const [re, im] of e) expect(Math.hypot(re, im)).toBeCloseTo(1, 12);
  });

  it('cyclic permutations give the roots of unity (the case that needs exceptional shifts)', () => {
    for (const n of [3, 4, 5, 8, 16]) {
      const p = new Float64Array(n * n);
      for (let i = 0; i < n; i++) p[((i + 1) % n) * n + i] = 1;
      const expected = Array.from({ length: n }, (_, k): Complex => [Math.cos((2 * Math.PI * k) / n), Math.sin((2 * Math.PI * k) / n)]);
      expectSpectrum(eigenvalues(p, 0, n), expected, 1e-12);
    }
  });

  it('a similarity P D P⁻¹ keeps the spectrum of D (real and complex)', () => {
    const rng = new Rng(4);
    const parts = [2, -1.5, { r: 1.1, theta: 0.8 }, 0.6, -0.3, { r: 0.5, theta: 2.2 }, 0.05, 1.3];
    const d = blocks(parts);
    const n = Math.sqrt(d.length);
    const p = gaussian(n, rng);
    for (let i = 0; i < n; i++) p[i * n + i] += 3; // keep P well conditioned
    const a = multiply(multiply(p, d, n), inverse(p, n), n);
    expectSpectrum(eigenvalues(a, 0, n), blockSpectrum(parts), 1e-10);
  });

  it('a badly scaled diagonal similarity (entries spanning 2^±80) keeps the spectrum', () => {
    const parts = [{ r: 1, theta: 1 }, 0.5, -2, { r: 0.25, theta: 0.2 }, 3];
    const base = hideStructure(blocks(parts), 7, new Rng(5));
    const n = 7;
    const scaled = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) scaled[i * n + j] = base[i * n + j] * 2 ** ((40 * (i - j)) / 3);
    }
    expectSpectrum(eigenvalues(scaled, 0, n), blockSpectrum(parts), 1e-10);
  });
});

describe('eigenvalues: invariants on random matrices', () => {
  it('Σλ = trace and Πλ = det for n = 5..40', () => {
    const rng = new Rng(6);
    for (let n = 5; n <= 40; n++) {
      const a = gaussian(n, rng, 1 / Math.sqrt(n));
      const e = pairs(eigenvalues(a, 0, n));
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a[i * n + i];
      let sumRe = 0;
      let sumIm = 0;
      let absSum = 0;
      let pr = 1;
      let pi = 0;
      for (const [re, im] of e) {
        sumRe += re;
        sumIm += im;
        absSum += Math.hypot(re, im);
        [pr, pi] = [pr * re - pi * im, pr * im + pi * re];
      }
      expect(Math.abs(sumRe - trace), `trace, n = ${n}`).toBeLessThan(1e-13 * n * absSum);
      expect(Math.abs(sumIm), `Σ im, n = ${n}`).toBeLessThan(1e-13 * absSum);
      const det = determinant(a, n);
      expect(Math.abs(pr - det) / Math.abs(det), `det, n = ${n}`).toBeLessThan(1e-10);
      expect(Math.abs(pi) / Math.abs(det), `Π im, n = ${n}`).toBeLessThan(1e-10);
    }
  });

  it('returns pairs by modulus descending, conjugate pairs +im first, deterministically', () => {
    const n = 60;
    const a = gaussian(n, new Rng(7), 1 / Math.sqrt(n));
    const e = eigenvalues(a, 0, n);
    const p = pairs(e);
    let conjugatePairs = 0;
    for (let i = 1; i < n; i++) {
      expect(Math.hypot(...p[i])).toBeLessThanOrEqual(Math.hypot(...p[i - 1]));
      if (p[i][1] < 0 && p[i - 1][1] === -p[i][1] && p[i - 1][0] === p[i][0]) conjugatePairs++;
    }
    expect(conjugatePairs).toBe(p.filter(([, im]) => im < 0).length);
    expect(conjugatePairs).toBeGreaterThan(0);
    expect(eigenvalues(a, 0, n)).toEqual(e);
  });

  it('breaks ties in modulus by re, then im', () => {
    // λ ∈ {−1, 1, ±i, 0.5}: all of modulus 1 but 0.5.
    const a = blocks([-1, { r: 1, theta: Math.PI / 2 }, 1, 0.5]);
    const e = Array.from(eigenvalues(a, 0, 5)).map((x) => Math.round(x * 1e12) / 1e12 + 0);
    expect(e).toEqual([1, 0, 0, 1, 0, -1, -1, 0, 0.5, 0]);
  });

  it('reads the matrix at an offset, from any array-like (Float32Array too)', () => {
    const n = 9;
    const a = gaussian(n, new Rng(8));
    const padded = new Float64Array(5 + n * n + 3).fill(99);
    padded.set(a, 5);
    expect(eigenvalues(padded, 5, n)).toEqual(eigenvalues(a, 0, n));
    const f32 = Float32Array.from(a);
    expect(eigenvalues(f32, 0, n)).toEqual(eigenvalues(Float64Array.from(f32), 0, n));
  });

  it('handles n = 160 (trace check)', () => {
    const n = 160;
    const a = gaussian(n, new Rng(9), 1 / Math.sqrt(n));
    const e = pairs(eigenvalues(a, 0, n));
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    expect(e.reduce((s, [re]) => s + re, 0)).toBeCloseTo(trace, 10);
  });
});

describe('spectralRadius', () => {
  it('is the largest modulus', () => {
    const parts = [0.3, { r: 1.25, theta: 2 }, -1.1, { r: 0.7, theta: 0.1 }];
    const n = 6;
    const a = hideStructure(blocks(parts), n, new Rng(10));
    expect(spectralRadius(a, 0, n)).toBeCloseTo(1.25, 12);
    const e = eigenvalues(a, 0, n);
    expect(spectralRadius(a, 0, n)).toBe(Math.hypot(e[0], e[1]));
  });

  it('is 0 for a nilpotent matrix and for n = 0', () => {
    expect(spectralRadius([0, 1, 0, 0], 0, 2)).toBe(0);
    expect(spectralRadius([], 0, 0)).toBe(0);
  });
});

describe('eigenvalues: bad input', () => {
  it('names a non-finite entry', () => {
    const a = diagonal([1, 2, 3]);
    a[1 * 3 + 2] = Number.NaN;
    expect(() => eigenvalues(a, 0, 3)).toThrow(/entry \(1, 2\).*NaN/);
    a[1 * 3 + 2] = Infinity;
    expect(() => spectralRadius(a, 0, 3)).toThrow(/entry \(1, 2\).*Infinity/);
  });

  it('rejects a matrix that does not fit, and bad n or offset', () => {
    expect(() => eigenvalues(new Float64Array(8), 0, 3)).toThrow(/3×3 matrix at offset 0 does not fit in 8/);
    expect(() => eigenvalues(new Float64Array(9), 1, 3)).toThrow(/does not fit/);
    expect(() => eigenvalues(new Float64Array(9), 0, 2.5)).toThrow(/n must be/);
    expect(() => eigenvalues(new Float64Array(9), -1, 2)).toThrow(/offset must be/);
  });

  it('throws a clear error when the QR iteration exceeds its sweep budget', () => {
    const n = 10;
    const h = gaussian(n, new Rng(11));
    reduceToHessenberg(h, n, new Float64Array(2 * n));
    const wr = new Float64Array(n);
    const wi = new Float64Array(n);
    expect(() => hessenbergEigenvalues(Float64Array.from(h), n, wr, wi, 3)).toThrow(
      /did not converge within 3 sweeps \(n = 10, \d+ of 10 eigenvalues found\)/,
    );
    hessenbergEigenvalues(Float64Array.from(h), n, wr, wi);
    expect(wr.every(Number.isFinite)).toBe(true);
  });
});
