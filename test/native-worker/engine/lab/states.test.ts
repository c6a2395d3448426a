// ρ(W) and the spectrum against solvers written here independently (the
// characteristic polynomial's roots for tiny W, a symmetric W with a known
// spectrum for larger ones); fixed points checked by their residual and
// their linearisation; PCA on a trajectory that lies in a known plane.

import { describe, expect, it } from 'vitest';
import { fixedPoints, pca, spectrum } from '../../../../native-worker/engine/lab/states';
import { eigenvalues } from '../../../../native-worker/engine/metrics/eigen';
import { initParams, layoutOf } from '../../../../native-worker/engine/params';
import { Rng } from '../../../../native-worker/engine/prng';
import { shape } from '../fixtures';
import { diagonal, multiply, orthogonal, transpose } from '../metrics/matrices';

type C = [number, number];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: C, b: C): C => {
  const q = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / q, (a[1] * b[0] - a[0] * b[1]) / q];
};

/** Roots of the characteristic polynomial (Faddeev–LeVerrier coefficients, Durand–Kerner iteration). */
function characteristicRoots(a: Float64Array, n: number): C[] {
  const coef = [1]; // λⁿ + c1 λⁿ⁻¹ + … + cn
  let M: Float64Array = new Float64Array(n * n);
  for (let k = 1; k <= n; k++) {
    const AM = multiply(a, M, n);
    for (let i = 0; i < n; i++) AM[i * n + i] += coef[k - 1];
    M = AM; // M_k = A M_(k−1) + c_(k−1) I
    const AMk = multiply(a, M, n);
    let tr = 0;
    for (let i = 0; i < n; i++) tr += AMk[i * n + i];
    coef.push(-tr / k);
  }
  const poly = (z: C): C => coef.reduce<C>((acc, c) => [cmul(acc, z)[0] + c, cmul(acc, z)[1]], [0, 0]);
  let roots: C[] = Array.from({ length: n }, (_, i) => cmul([0.4, 0.9], i === 0 ? [1, 0] : [Math.cos(i), Math.sin(i)]) as C);
  for (let it = 0; it < 2000; it++) {
    roots = roots.map((r, i) => {
      let den: C = [1, 0];
      roots.forEach((q, j) => {
        if (j !== i) den = cmul(den, [r[0] - q[0], r[1] - q[1]]);
      });
      const step = cdiv(poly(r), den);
      return [r[0] - step[0], r[1] - step[1]];
    });
  }
  return roots;
}

describe('spectrum of W', () => {
  it('ρ(W) and the eigenvalues equal the characteristic polynomial’s roots for d = 2, 3, 4', () => {
    const rng = new Rng(31);
    for (const d of [2, 3, 4]) {
      for (let rep = 0; rep < 5; rep++) {
        const layout = layoutOf(shape(1, d, 1));
        const p = initParams(layout, 'float64', 'uniform', 1, rng) as Float64Array;
        const W = p.slice(layout.W, layout.W + d * d);
        const roots = characteristicRoots(W, d);
        const got = spectrum(layout, p);
        expect(got.spectralRadius).toBeCloseTo(Math.max(...roots.map(([re, im]) => Math.hypot(re, im))), 10);
        for (const [re, im] of roots) expect(Math.min(...got.eigenvalues.map(([a, b]) => Math.hypot(a - re, b - im)))).toBeLessThan(1e-8);
      }
    }
  });

  it('ρ(W) = ‖W‖₂ = max |λ| for a symmetric W with a known spectrum (d = 24)', () => {
    const d = 24,
      rng = new Rng(32);
    const lambda = Array.from({ length: d }, () => rng.range(-1.5, 1.2));
    const q = orthogonal(d, rng);
    const W = multiply(multiply(q, diagonal(lambda), d), transpose(q, d), d);
    const layout = layoutOf(shape(2, d, 2));
    const p = new Float64Array(layout.size);
    p.set(W, layout.W);
    const got = spectrum(layout, p);
    const want = Math.max(...lambda.map(Math.abs));
    expect(got.spectralRadius).toBeCloseTo(want, 12);
    expect(got.singularMax).toBeCloseTo(want, 12);
    expect(got.eigenvalues).toHaveLength(d);
  });
});

describe('fixed points of s = f(W s + U x̄ + b)', () => {
  const residual = (W: Float64Array, c: Float64Array, s: number[], d: number) => {
    let sum = 0;
    for (let i = 0; i < d; i++) {
      let z = c[i];
      for (let j = 0; j < d; j++) z += W[i * d + j] * s[j];
      sum += (Math.tanh(z) - s[i]) ** 2;
    }
    return Math.sqrt(sum);
  };

  const d = 6;
  const q = orthogonal(d, new Rng(42));
  const symmetric = multiply(multiply(q, diagonal([2.5, 1.8, 0.5, -0.3, 0.2, 0.1]), d), transpose(q, d), d);
  const cases: [string, number, Float64Array | null][] = [
    ['orthogonal W, gain 0.6 (a contraction)', 0.6, null],
    ['orthogonal W, gain 1.5', 1.5, null],
    ['symmetric W with eigenvalues 2.5 and 1.8 (several attractors)', 1, symmetric],
  ];
  for (const [what, gain, given] of cases) {
    it(`meet ‖f(W s + U x̄ + b) − s‖ ≤ 1e-10 and carry the eigenvalues of diag(f′) W (tanh, ${what})`, () => {
      const m = 2;
      const layout = layoutOf(shape(m, d, 1, true));
      const p = initParams(layout, 'float64', 'orthogonal', gain, new Rng(40)) as Float64Array;
      if (given) p.set(given, layout.W);
      const rng = new Rng(41);
      for (let i = 0; i < d; i++) p[layout.b + i] = rng.range(-0.1, 0.1);
      const xMean = [0.3, -0.2];
      const W = p.slice(layout.W, layout.W + d * d);
      const c = new Float64Array(d);
      for (let i = 0; i < d; i++) c[i] = p[layout.b + i] + p[layout.U + i * m] * xMean[0] + p[layout.U + i * m + 1] * xMean[1];
      const found = fixedPoints(layout, 'tanh', p, xMean, { seed: 3 });
      expect(found.length).toBeGreaterThanOrEqual(1);
      for (const fp of found) {
        expect(residual(W, c, fp.s, d)).toBeLessThanOrEqual(1e-10);
        const lin = new Float64Array(d * d);
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lin[i * d + j] = (1 - fp.s[i] ** 2) * W[i * d + j];
        const eig = eigenvalues(lin, 0, d);
        fp.eigenvalues.forEach(([re, im], k) => {
          expect(re).toBeCloseTo(eig[2 * k], 8);
          expect(im).toBeCloseTo(eig[2 * k + 1], 8);
        });
        expect(fp.stable).toBe(fp.eigenvalues.every(([re, im]) => Math.hypot(re, im) < 1));
      }
      // distinct
      for (let a = 0; a < found.length; a++)
        for (let b = a + 1; b < found.length; b++)
          expect(Math.max(...found[a].s.map((v, i) => Math.abs(v - found[b].s[i])))).toBeGreaterThan(1e-7);
      // a contraction has exactly one fixed point, and it is stable; two expanding directions give several, some stable
      if (gain < 1) expect(found.map((f) => f.stable)).toEqual([true]);
      if (given) {
        expect(found.length).toBeGreaterThan(2);
        expect(found.some((f) => f.stable)).toBe(true);
        expect(found.some((f) => !f.stable)).toBe(true);
      }
    });
  }

  it('finds s = 0 (unstable) beside the stable pair for f = tanh, W = 2·I, no input', () => {
    const d = 1;
    const layout = layoutOf(shape(1, d, 1));
    const p = new Float64Array(layout.size);
    p[layout.W] = 2;
    const found = fixedPoints(layout, 'tanh', p, [0]);
    const xs = found.map((f) => f.s[0]).sort((a, b) => a - b);
    expect(xs).toHaveLength(3);
    expect(xs[1]).toBe(0);
    expect(Math.tanh(2 * xs[2]) - xs[2]).toBeCloseTo(0, 12);
    expect(xs[0]).toBeCloseTo(-xs[2], 12);
    expect(found.find((f) => f.s[0] === 0)!.stable).toBe(false);
    expect(found.filter((f) => f.s[0] !== 0).every((f) => f.stable)).toBe(true);
  });
});

describe('pca', () => {
  it('recovers a trajectory that lies in a plane: two components explain all the variance', () => {
    const d = 7,
      rows = 50,
      rng = new Rng(50);
    const q = orthogonal(d, rng);
    const u = Array.from({ length: d }, (_, i) => q[i * d]),
      v = Array.from({ length: d }, (_, i) => q[i * d + 1]);
    const states = new Float64Array(rows * d);
    for (let r = 0; r < rows; r++) {
      const a = 3 * Math.sin(r / 4),
        b = Math.cos(r / 3);
      for (let j = 0; j < d; j++) states[r * d + j] = 0.5 + a * u[j] + b * v[j];
    }
    const got = pca(states, rows, d, 3);
    expect(got.explained[0] + got.explained[1]).toBeCloseTo(1, 12);
    expect(got.explained[2]).toBeCloseTo(0, 12);
    // the first two components span u and v
    for (const w of [u, v]) {
      const inPlane = got.components.slice(0, 2).reduce((acc, c) => acc + c.reduce((s, cj, j) => s + cj * w[j], 0) ** 2, 0);
      expect(inPlane).toBeCloseTo(1, 12);
    }
    // projections reproduce the centred states
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < d; j++) {
        const back = got.mean[j] + got.projected[r].reduce((s, pc, c) => s + pc * got.components[c][j], 0);
        expect(back).toBeCloseTo(states[r * d + j], 10);
      }
    }
  });
});
