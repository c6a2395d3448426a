// W's spectrum and the geometry of the hidden states: eigenvalues of W
// (dense QR, metrics/eigen.ts) with ρ(W) and ‖W‖₂, the fixed points of
// s = f(W s + U x̄ + b) by Newton's method with the eigenvalues of their
// linearisation diag(f′(z*)) W, and the principal components of a state
// trajectory.

import type { Activation } from '../../../common/contract';
import { activate, derivatives } from '../activation';
import { eigenvalues, maxModulus } from '../metrics/eigen';
import type { Layout } from '../params';
import { Rng } from '../prng';
import { norm2 } from '../tensor';
import { solve, spectralNorm, symmetricEigen } from './dense';

export type Complex = [re: number, im: number];

export interface Spectrum {
  /** Eigenvalues of W, by modulus descending. */
  eigenvalues: Complex[];
  /** ρ(W) = max |λ|. */
  spectralRadius: number;
  /** ‖W‖₂, the largest singular value. */
  singularMax: number;
}

export function pairs(flat: Float64Array): Complex[] {
  return Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
}

export function spectrum(layout: Layout, p: Float64Array): Spectrum {
  const d = layout.shape.d;
  const flat = eigenvalues(p, layout.W, d);
  const re = flat.filter((_, i) => i % 2 === 0),
    im = flat.filter((_, i) => i % 2 === 1);
  return {
    eigenvalues: pairs(flat),
    spectralRadius: maxModulus(re, im, d),
    singularMax: spectralNorm(p.subarray(layout.W, layout.W + d * d), d, d),
  };
}

export interface FixedPoint {
  s: number[];
  /** ‖f(W s + U x̄ + b) − s‖₂ at s. */
  residual: number;
  /** Eigenvalues of diag(f′(z*)) W, by modulus descending. */
  eigenvalues: Complex[];
  /** Every |λ| < 1: nearby states are drawn in. */
  stable: boolean;
}

export interface FixedPointOptions {
  /** Random starts besides s = 0 (seeded). */
  starts?: number;
  seed?: number;
  /** Newton steps per start. */
  maxIterations?: number;
}

/** The residual bound a fixed point must meet to be reported. */
export const FIXED_POINT_TOLERANCE = 1e-10;
/** Two fixed points closer than this (max-norm) are one. */
const SAME_POINT = 1e-7;

/**
 * Fixed points of s = f(W s + U x̄ + b) for the mean input x̄ (b = 0
 * without a hidden bias): Newton's method on F(s) = f(W s + c) − s, whose
 * Jacobian is diag(f′(z)) W − I, from s = 0 and from seeded random starts
 * in f's range, each step halved until ‖F‖ decreases. Converged points
 * (‖F‖₂ ≤ 1e-10) are deduplicated.
 */
export function fixedPoints(
  layout: Layout,
  act: Activation,
  p: Float64Array,
  xMean: ArrayLike<number>,
  o: FixedPointOptions = {},
): FixedPoint[] {
  const { starts = 16, seed = 1, maxIterations = 100 } = o;
  const { m, d } = layout.shape;
  const c = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let v = layout.b >= 0 ? p[layout.b + i] : 0;
    for (let j = 0; j < m; j++) v += p[layout.U + i * m + j] * xMean[j];
    c[i] = v;
  }
  const z = new Float64Array(d);
  const residual = (s: Float64Array, out: Float64Array): number => {
    for (let i = 0; i < d; i++) {
      let v = c[i];
      for (let j = 0; j < d; j++) v += p[layout.W + i * d + j] * s[j];
      z[i] = v;
    }
    out.set(z);
    activate(act, out, 0, d);
    for (let i = 0; i < d; i++) out[i] -= s[i];
    return norm2(out);
  };
  const rng = new Rng(seed);
  const [lo, hi] = act === 'tanh' ? [-1, 1] : act === 'identity' ? [-2, 2] : [0, 1];
  const found: FixedPoint[] = [];
  const F = new Float64Array(d),
    trial = new Float64Array(d),
    fTrial = new Float64Array(d),
    fp = new Float64Array(d),
    jac = new Float64Array(d * d);
  for (let start = 0; start <= starts; start++) {
    const s = Float64Array.from({ length: d }, () => (start === 0 ? 0 : rng.range(lo, hi)));
    let r = residual(s, F);
    for (let it = 0; it < maxIterations && r > FIXED_POINT_TOLERANCE / 100; it++) {
      // f′(z) through s = f(z): the state f(z) is F + s
      for (let i = 0; i < d; i++) fp[i] = F[i] + s[i];
      derivatives(act, fp, 0, d, fp, 0);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) jac[i * d + j] = fp[i] * p[layout.W + i * d + j] - (i === j ? 1 : 0);
      }
      const step = solve(
        jac,
        F.map((v) => -v),
        d,
      );
      if (step === null) break;
      let scale = 1,
        rTrial = Infinity;
      for (let halvings = 0; halvings < 30; halvings++, scale /= 2) {
        for (let i = 0; i < d; i++) trial[i] = s[i] + scale * step[i];
        rTrial = residual(trial, fTrial);
        if (rTrial < r) break;
      }
      if (!(rTrial < r)) break;
      s.set(trial);
      F.set(fTrial);
      r = rTrial;
    }
    if (!(r <= FIXED_POINT_TOLERANCE)) continue;
    if (found.some((q) => q.s.every((v, i) => Math.abs(v - s[i]) <= SAME_POINT))) continue;
    residual(s, F); // leaves z = W s + c
    const lin = new Float64Array(d * d);
    const fz = Float64Array.from(z);
    activate(act, fz, 0, d);
    derivatives(act, fz, 0, d, fp, 0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lin[i * d + j] = fp[i] * p[layout.W + i * d + j];
    const eig = eigenvalues(lin, 0, d);
    const re = eig.filter((_, i) => i % 2 === 0),
      im = eig.filter((_, i) => i % 2 === 1);
    found.push({ s: Array.from(s), residual: r, eigenvalues: pairs(eig), stable: maxModulus(re, im, d) < 1 });
  }
  return found;
}

export interface Pca {
  /** The trajectory's mean state (d). */
  mean: number[];
  /** The top principal directions, unit vectors of length d. */
  components: number[][];
  /** The fraction of the trajectory's variance along each component. */
  explained: number[];
  /** The trajectory in those coordinates: one row per state, one column per component. */
  projected: number[][];
}

/** The top `k` principal components of the rows × d states (eigenvectors of their covariance). */
export function pca(states: ArrayLike<number>, rows: number, d: number, k = 3): Pca {
  const mean = new Float64Array(d);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) mean[j] += states[r * d + j] / rows;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) for (let j = 0; j < d; j++) centred[r * d + j] = states[r * d + j] - mean[j];
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < d; i++) {
      const a = centred[r * d + i];
      if (a !== 0) for (let j = 0; j < d; j++) cov[i * d + j] += (a * centred[r * d + j]) / rows;
    }
  }
  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  const top = Math.min(k, d);
  const components = Array.from({ length: top }, (_, c) => Array.from({ length: d }, (_, j) => vectors[j * d + c]));
  return {
    mean: Array.from(mean),
    components,
    explained: components.map((_, c) => (total === 0 ? 0 : Math.max(0, values[c]) / total)),
    projected: Array.from({ length: rows }, (_, r) => components.map((u) => u.reduce((acc, uj, j) => acc + uj * centred[r * d + j], 0))),
  };
}
