// The tracker's cheaper settings, as the trainer uses them every step
// (SPECTRAL_PER_STEP): exact only for small W, short warm Arnoldi cycles.

import { describe, expect, it } from 'vitest';
import { spectralRadius } from '../../../../native-worker/engine/metrics/eigen';
import { SpectralRadiusTracker } from '../../../../native-worker/engine/metrics/spectral';
import { Rng } from '../../../../native-worker/engine/prng';
import { SPECTRAL_PER_STEP } from '../../../../native-worker/engine/metrics/spectral-settings';
import { FastMatVec } from '../../../../native-worker/engine/fast/matvec';
import { gaussian } from './matrices';

describe('SpectralRadiusTracker with the per-step settings', () => {
  it('is exact up to exactLimit', () => {
    const n = SPECTRAL_PER_STEP.exactLimit;
    const a = gaussian(n, new Rng(1), 1 / Math.sqrt(n));
    expect(new SpectralRadiusTracker(n, new Rng(2), SPECTRAL_PER_STEP).estimate(a, 0)).toBe(spectralRadius(a, 0, n));
  });

  // Random Gaussian matrices crowd their eigenvalues near the spectral radius, the
  // hardest case for a short Krylov space: the estimate is then within about 5–8 %
  // at worst and about 1 % on average.
  it('follows a slowly drifting matrix, n = 32, 64 and 128', () => {
    for (const n of [32, 64, 128]) {
      const rng = new Rng(5 + n);
      const a = gaussian(n, rng, 1 / Math.sqrt(n));
      const tracker = new SpectralRadiusTracker(n, new Rng(6), SPECTRAL_PER_STEP);
      const errors: number[] = [];
      for (let step = 0; step < 30; step++) {
        for (let i = 0; i < n * n; i++) a[i] += (0.002 * rng.normal()) / Math.sqrt(n);
        errors.push(Math.abs(tracker.estimate(a, 0) / spectralRadius(a, 0, n) - 1));
      }
      for (const [step, e] of errors.entries()) expect(e, `n = ${n}, step ${step}`).toBeLessThan(0.08);
      expect(errors.slice(10).reduce((s, e) => s + e, 0) / 20, `n = ${n}, mean after 10 steps`).toBeLessThan(0.015);
    }
  });

  it('finds a well separated dominant eigenvalue to high accuracy after a few calls', () => {
    const n = 64;
    const rng = new Rng(9);
    const a = gaussian(n, rng, 0.5 / Math.sqrt(n));
    for (let i = 0; i < n; i++) a[i * n + i] += i === 3 ? 1.3 : 0;
    const exact = spectralRadius(a, 0, n);
    const tracker = new SpectralRadiusTracker(n, new Rng(10), SPECTRAL_PER_STEP);
    let last = 0;
    for (let c = 0; c < 6; c++) last = tracker.estimate(a, 0);
    expect(Math.abs(last / exact - 1)).toBeLessThan(1e-8);
  });

  it('gives the same bits with the plain fast kernels doing its products', () => {
    for (const n of [20, 67]) {
      const rng = new Rng(11);
      const a = gaussian(n, rng, 1 / Math.sqrt(n));
      const padded = new Float64Array(n * n + 5);
      padded.set(a, 5);
      const plain = new SpectralRadiusTracker(n, new Rng(12), SPECTRAL_PER_STEP);
      const trackers = (['wasm', 'ts'] as const).map(
        (kind) => new SpectralRadiusTracker(n, new Rng(12), { ...SPECTRAL_PER_STEP, multiply: new FastMatVec(n, kind) }),
      );
      for (let c = 0; c < 4; c++) {
        for (let i = 0; i < n * n; i++) padded[5 + i] = a[i] += (0.01 * rng.normal()) / n;
        const expected = plain.estimate(a, 0);
        for (const t of trackers) expect(t.estimate(padded, 5)).toBe(expected);
      }
    }
  });

  it('rejects bad settings', () => {
    expect(() => new SpectralRadiusTracker(8, new Rng(1), { warmSteps: 1 })).toThrow(/warmSteps must be a whole number ≥ 2/);
    expect(() => new SpectralRadiusTracker(8, new Rng(1), { exactLimit: -1 })).toThrow(/exactLimit must be a whole number ≥ 0/);
  });
});
