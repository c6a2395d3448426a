import { describe, expect, it } from 'vitest';
import { spectralRadius } from '../../../../native-worker/engine/metrics/eigen';
import { EXACT_LIMIT, SpectralRadiusTracker } from '../../../../native-worker/engine/metrics/spectral';
import { FastMatVec } from '../../../../native-worker/engine/fast/matvec';
import { Rng } from '../../../../native-worker/engine/prng';
import { blocks, gaussian, multiply, orthogonal, transpose } from './matrices';

/** Relative errors of `calls` successive estimates of the same matrix. */
function errors(a: Float64Array, n: number, calls: number, seed: number): number[] {
  const exact = spectralRadius(a, 0, n);
  const tracker = new SpectralRadiusTracker(n, new Rng(seed));
  return Array.from({ length: calls }, () => Math.abs(tracker.estimate(a, 0) / exact - 1));
}

/**
 * Q [[ρR(θ), C], [0, B]] Qᵀ: a complex pair ρe^{±iθ} on top of a Gaussian
 * block B of spectral radius about 0.6ρ, coupled by C, in a random basis.
 */
function dominantPair(n: number, rho: number, theta: number, rng: Rng): Float64Array {
  const t = new Float64Array(n * n);
  t.set(blocks([{ r: rho, theta }]).subarray(0, 2), 0);
  t.set(blocks([{ r: rho, theta }]).subarray(2, 4), n);
  const m = n - 2;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) t[(i + 2) * n + j + 2] = (0.6 * rho * rng.normal()) / Math.sqrt(m);
  }
  for (let i = 0; i < 2; i++) for (let j = 2; j < n; j++) t[i * n + j] = (0.3 * rng.normal()) / Math.sqrt(n);
  const q = orthogonal(n, rng);
  return multiply(multiply(q, t, n), transpose(q, n), n);
}

describe('SpectralRadiusTracker: exact up to n = 48', () => {
  it('equals spectralRadius for random matrices', () => {
    const rng = new Rng(1);
    for (const n of [1, 2, 7, EXACT_LIMIT]) {
      const a = gaussian(n, rng, 1 / Math.sqrt(n));
      const tracker = new SpectralRadiusTracker(n, new Rng(2));
      expect(tracker.estimate(a, 0)).toBe(spectralRadius(a, 0, n));
      expect(tracker.estimate(a, 0)).toBe(spectralRadius(a, 0, n));
    }
  });

  it('gives known radii', () => {
    const rotations = blocks([{ r: 0.9, theta: 1 }, 0.5, -0.2, { r: 0.3, theta: 2 }]);
    expect(new SpectralRadiusTracker(6, new Rng(3)).estimate(rotations, 0)).toBeCloseTo(0.9, 14);
    const d = new Float64Array(48 * 48);
    for (let i = 0; i < 48; i++) d[i * 48 + i] = i === 17 ? -1.75 : (i % 7) / 10;
    expect(new SpectralRadiusTracker(48, new Rng(3)).estimate(d, 0)).toBe(1.75);
  });
});

describe('SpectralRadiusTracker: Arnoldi estimate above n = 48', () => {
  it('is within a few percent for random Gaussian matrices of radius 0.5–1.5, n = 64 and 128', () => {
    const rng = new Rng(4);
    const all: number[] = [];
    for (const n of [64, 128]) {
      for (const radius of [0.5, 1, 1.5]) {
        for (let trial = 0; trial < 2; trial++) {
          const a = gaussian(n, rng, radius / Math.sqrt(n));
          const e = errors(a, n, 8, 10 * n + trial);
          for (const x of e) expect(x, `n = ${n}, radius ≈ ${radius}`).toBeLessThan(0.05);
          all.push(...e);
        }
      }
    }
    expect(all.reduce((s, x) => s + x, 0) / all.length).toBeLessThan(0.01);
  });

  it('follows a matrix that drifts slowly, as W does during training', () => {
    for (const n of [64, 128]) {
      const rng = new Rng(5 + n);
      const a = gaussian(n, rng, 1 / Math.sqrt(n));
      const tracker = new SpectralRadiusTracker(n, new Rng(6));
      for (let step = 0; step < 20; step++) {
        for (let i = 0; i < n * n; i++) a[i] += (0.01 * rng.normal()) / Math.sqrt(n);
        const exact = spectralRadius(a, 0, n);
        expect(Math.abs(tracker.estimate(a, 0) / exact - 1), `n = ${n}, step ${step}`).toBeLessThan(0.05);
      }
    }
  });

  it('finds a dominant complex pair to high accuracy, n = 64 and 128', () => {
    for (const n of [64, 128]) {
      for (const [rho, theta] of [
        [1.1, 0.7],
        [0.8, 2.9],
        [1.4, 0.05],
      ]) {
        const a = dominantPair(n, rho, theta, new Rng(n + Math.round(100 * theta)));
        expect(spectralRadius(a, 0, n)).toBeCloseTo(rho, 10);
        for (const e of errors(a, n, 3, 7)) expect(e, `n = ${n}, ρ = ${rho}`).toBeLessThan(1e-8);
      }
    }
  });

  it('is exact when the Krylov space breaks down (rank one, zero)', () => {
    const n = 100;
    const rng = new Rng(8);
    const u = Array.from({ length: n }, () => rng.normal());
    const v = Array.from({ length: n }, () => rng.normal() / n);
    const a = new Float64Array(n * n);
    let uv = 0;
    for (let i = 0; i < n; i++) {
      uv += u[i] * v[i];
      for (let j = 0; j < n; j++) a[i * n + j] = u[i] * v[j];
    }
    const tracker = new SpectralRadiusTracker(n, new Rng(9));
    for (let c = 0; c < 3; c++) expect(tracker.estimate(a, 0)).toBeCloseTo(Math.abs(uv), 12);
    const zero = new SpectralRadiusTracker(n, new Rng(9));
    expect(zero.estimate(new Float64Array(n * n), 0)).toBe(0);
    expect(zero.estimate(new Float64Array(n * n), 0)).toBe(0);
  });

  it('is deterministic for a seed and reads the matrix at an offset', () => {
    const n = 80;
    const a = gaussian(n, new Rng(10), 1 / Math.sqrt(n));
    const padded = new Float64Array(n * n + 13);
    padded.set(a, 13);
    const t1 = new SpectralRadiusTracker(n, new Rng(11));
    const t2 = new SpectralRadiusTracker(n, new Rng(11));
    for (let c = 0; c < 4; c++) expect(t2.estimate(padded, 13)).toBe(t1.estimate(a, 0));
  });
});

describe('SpectralRadiusTracker: bad input', () => {
  it('returns NaN for a non-finite matrix and recovers afterwards', () => {
    for (const n of [10, 60]) {
      const a = gaussian(n, new Rng(12), 1 / Math.sqrt(n));
      const tracker = new SpectralRadiusTracker(n, new Rng(13));
      const bad = Float64Array.from(a);
      bad[5] = Number.POSITIVE_INFINITY;
      expect(tracker.estimate(bad, 0)).toBeNaN();
      bad[5] = Number.NaN;
      expect(tracker.estimate(bad, 0)).toBeNaN();
      expect(Math.abs(tracker.estimate(a, 0) / spectralRadius(a, 0, n) - 1)).toBeLessThan(0.05);
    }
  });

  it('finds a non-finite entry anywhere from the first product, warm or cold, with either kind of product', () => {
    const n = 60;
    const a = gaussian(n, new Rng(14), 1 / Math.sqrt(n));
    for (const product of [undefined, new FastMatVec(n)]) {
      const tracker = new SpectralRadiusTracker(n, new Rng(15), { exactLimit: 16, warmSteps: 12, multiply: product });
      const good = tracker.estimate(a, 0);
      for (const [at, value] of [
        [0, Infinity],
        [n * n - 1, -Infinity],
        [n * 17 + 33, Number.NaN],
      ] as const) {
        tracker.estimate(a, 0); // warm: starts from the previous Ritz direction
        const bad = Float64Array.from(a);
        bad[at] = value;
        expect(tracker.estimate(bad, 0)).toBeNaN();
      }
      expect(Math.abs(tracker.estimate(a, 0) / good - 1)).toBeLessThan(0.05);
    }
  });

  it('rejects a bad size or an offset that does not fit', () => {
    expect(() => new SpectralRadiusTracker(0, new Rng(1))).toThrow(/n must be a positive integer/);
    expect(() => new SpectralRadiusTracker(2.5, new Rng(1))).toThrow(/n must be a positive integer/);
    const tracker = new SpectralRadiusTracker(3, new Rng(1));
    expect(() => tracker.estimate(new Float64Array(9), 1)).toThrow(/3×3 matrix at offset 1 does not fit in 9/);
    expect(() => tracker.estimate(new Float64Array(9), -1)).toThrow(/does not fit/);
  });
});
