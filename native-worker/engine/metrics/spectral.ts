// A per-step estimate of the spectral radius of W (StepMetrics.spectralRadius).
// Small matrices get the exact value from eigen.ts. Larger ones get k steps
// of the Arnoldi iteration: an orthonormal basis v_0..v_{k−1} of the Krylov
// space span{v_0, W v_0, …, W^{k−1} v_0} and the k×k upper Hessenberg
// H_k = V_kᵀ W V_k, whose eigenvalues (Ritz values) approximate the
// outermost eigenvalues of W. Each call starts from the previous call's
// dominant Ritz direction, so while W drifts slowly between training steps
// the calls act as an explicitly restarted Arnoldi iteration that keeps
// refining the same eigenvector. All buffers are allocated once.

import type { SpectralState } from '../../../common/contract';
import type { Rng } from '../prng';
import { eigenvaluesInPlace, hessenbergEigenvalues, maxModulus } from './eigen';

/** At or below this size the tracker computes the exact spectrum. */
export const EXACT_LIMIT = 48;
/** Krylov dimension for larger matrices. */
export const KRYLOV_STEPS = 24;

/** ‖w‖ after orthogonalisation, relative to ‖W v_j‖, below which W v_j is taken to lie in the basis. */
const BREAKDOWN = 1e-10;
/** Arnoldi cycles on a call with no previous direction: the second starts from the first's Ritz direction. */
const COLD_START_CYCLES = 2;

/**
 * Cheaper settings for a caller that estimates every training step: exact
 * only up to exactLimit, and warm calls (those that restart from the previous
 * call's Ritz direction) take warmSteps Arnoldi steps instead of KRYLOV_STEPS.
 * Cold starts always take the full KRYLOV_STEPS.
 */
export interface SpectralOptions {
  exactLimit?: number;
  warmSteps?: number;
  /** The Arnoldi route's products W v, e.g. by faster kernels (default: plain loops). */
  multiply?: MatVec;
}

/** y = A v for the matrix of the current estimate: prepare(a, offset) is called once per estimate, before any apply. */
export interface MatVec {
  prepare(a: ArrayLike<number>, offset: number): void;
  apply(v: Float64Array, vOff: number, y: Float64Array): void;
}

export class SpectralRadiusTracker {
  private readonly n: number;
  private readonly rng: Rng;
  private readonly exact: boolean;
  /** Krylov dimension of the current cycle: kCold without a start direction, else kWarm. */
  private k: number;
  private readonly kCold: number;
  private readonly kWarm: number;
  private readonly multiply: MatVec | null;
  // Exact route: a copy of the matrix and eigen.ts workspace.
  private readonly square: Float64Array;
  private readonly work: Float64Array;
  // Arnoldi route: basis rows v_j (k × n), H_k (k × k, row-major), its
  // scratch copy for the QR iteration, the next Krylov vector, and the start
  // vector carried to the next call.
  private readonly basis: Float64Array;
  private readonly hk: Float64Array;
  private readonly hqr: Float64Array;
  private readonly w: Float64Array;
  private readonly start: Float64Array;
  private hasStart = false;
  // Eigenvalues of W (exact route) or of H_k (Ritz values).
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;
  // Inverse iteration on H_k − μI in complex arithmetic: the LU factors,
  // the multipliers and row swaps, and the Ritz vector's coordinates z.
  private readonly luRe: Float64Array;
  private readonly luIm: Float64Array;
  private readonly multRe: Float64Array;
  private readonly multIm: Float64Array;
  private readonly swapped: Uint8Array;
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;

  constructor(n: number, rng: Rng, options: SpectralOptions = {}) {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`SpectralRadiusTracker: n must be a positive integer, got ${n}`);
    }
    const { exactLimit = EXACT_LIMIT, warmSteps = KRYLOV_STEPS, multiply = null } = options;
    if (!Number.isInteger(exactLimit) || exactLimit < 0)
      throw new RangeError(`SpectralRadiusTracker: exactLimit must be a whole number ≥ 0, got ${exactLimit}`);
    if (!Number.isInteger(warmSteps) || warmSteps < 2)
      throw new RangeError(`SpectralRadiusTracker: warmSteps must be a whole number ≥ 2, got ${warmSteps}`);
    this.n = n;
    this.rng = rng;
    this.exact = n <= exactLimit;
    this.kCold = Math.min(n, KRYLOV_STEPS);
    this.kWarm = Math.min(n, warmSteps, KRYLOV_STEPS);
    this.k = this.kCold;
    this.multiply = multiply;
    const k = this.kCold;
    const small = this.exact ? 1 : 0;
    const big = 1 - small;
    this.square = new Float64Array(small * n * n);
    this.work = new Float64Array(small * 2 * n);
    this.wr = new Float64Array(this.exact ? n : k);
    this.wi = new Float64Array(this.exact ? n : k);
    this.basis = new Float64Array(big * k * n);
    this.hk = new Float64Array(big * k * k);
    this.hqr = new Float64Array(big * k * k);
    this.w = new Float64Array(big * n);
    this.start = new Float64Array(big * n);
    this.luRe = new Float64Array(big * k * k);
    this.luIm = new Float64Array(big * k * k);
    this.multRe = new Float64Array(big * k);
    this.multIm = new Float64Array(big * k);
    this.swapped = new Uint8Array(big * k);
    this.zRe = new Float64Array(big * k);
    this.zIm = new Float64Array(big * k);
  }

  /**
   * What the next estimate depends on besides the matrix: the PRNG and the
   * start direction (null on the exact route, which keeps nothing).
   */
  getState(): SpectralState | null {
    if (this.exact) return null;
    return { rng: this.rng.getState(), start: this.hasStart ? this.start.slice() : null };
  }

  /** Continue from getState()'s result, so that the following estimates are bit-identical to the saving tracker's. */
  setState(state: SpectralState): void {
    if (this.exact) throw new RangeError(`spectral state: a ${this.n}×${this.n} W gets the exact spectral radius, which keeps no state`);
    const { start } = state;
    if (start !== null && (start.length !== this.n || !start.every(Number.isFinite))) {
      throw new RangeError(`spectral state: the start direction must be ${this.n} finite values, got ${start.length}`);
    }
    this.rng.setState(state.rng);
    if (start !== null) this.start.set(start);
    this.hasStart = start !== null;
  }

  /**
   * Spectral radius of the n×n row-major matrix at a[offset]: exact when
   * n ≤ EXACT_LIMIT, else the largest Ritz value modulus. NaN when the
   * matrix holds a non-finite entry (a diverged W has no spectrum to report).
   */
  estimate(a: ArrayLike<number>, offset: number): number {
    const n = this.n;
    if (!Number.isInteger(offset) || offset < 0 || offset + n * n > a.length) {
      throw new RangeError(`SpectralRadiusTracker.estimate: a ${n}×${n} matrix at offset ${offset} does not fit in ${a.length} values`);
    }
    if (this.exact) {
      for (let i = 0; i < n * n; i++) {
        const x = a[offset + i];
        if (!Number.isFinite(x)) return Number.NaN;
        this.square[i] = x;
      }
      eigenvaluesInPlace(this.square, n, this.wr, this.wi, this.work);
      return maxModulus(this.wr, this.wi, n);
    }
    this.multiply?.prepare(a, offset);
    const cycles = this.hasStart ? 1 : COLD_START_CYCLES;
    this.k = this.hasStart ? this.kWarm : this.kCold;
    let radius = 0;
    for (let c = 0; c < cycles && !Number.isNaN(radius); c++) radius = this.cycle(a, offset);
    return radius;
  }

  /** One Arnoldi cycle: Ritz values, the dominant one's direction for next time, its modulus (NaN for a non-finite matrix). */
  private cycle(a: ArrayLike<number>, offset: number): number {
    if (!this.arnoldi(a, offset)) return Number.NaN;
    this.hqr.set(this.hk);
    hessenbergEigenvalues(this.hqr, this.k, this.wr, this.wi);
    const top = this.dominant();
    const re = this.wr[top];
    const im = Math.abs(this.wi[top]);
    this.hasStart = this.ritzVector(re, im) && this.ritzDirection();
    return Math.hypot(re, im);
  }

  /**
   * k Arnoldi steps from the start vector (random when there is none) into
   * basis and hk. False, with the start vector kept, when the matrix holds a
   * non-finite entry: found from the first product W v_0 instead of a pass
   * over all n² entries, since v_0 is finite and a NaN or ±∞ in row i of W
   * makes (W v_0)_i non-finite whatever v_0 holds (∞·0 is NaN).
   */
  private arnoldi(a: ArrayLike<number>, offset: number): boolean {
    const { n, k, basis, hk, w } = this;
    if (this.hasStart) basis.set(this.start, 0);
    else this.randomUnit(0);
    hk.fill(0);
    for (let j = 0; j < k; j++) {
      const vj = j * n;
      if (this.multiply) this.multiply.apply(basis, vj, w);
      else {
        for (let i = 0; i < n; i++) {
          const row = offset + i * n;
          let s = 0;
          for (let l = 0; l < n; l++) s += a[row + l] * basis[vj + l];
          w[i] = s;
        }
      }
      if (j === 0) {
        for (let i = 0; i < n; i++) if (!Number.isFinite(w[i])) return false;
      }
      const before = norm2(w, 0, n);
      // Modified Gram–Schmidt, done twice so the basis stays orthogonal to
      // rounding ("twice is enough").
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i <= j; i++) {
          const c = dot(basis, i * n, w, 0, n);
          hk[i * k + j] += c;
          for (let l = 0; l < n; l++) w[l] -= c * basis[i * n + l];
        }
      }
      if (j + 1 === k) break;
      const beta = norm2(w, 0, n);
      if (beta <= BREAKDOWN * before) {
        // The Krylov space is invariant, so its Ritz values are eigenvalues.
        // Go on in a fresh random direction (H_k keeps a zero subdiagonal
        // entry) so that the rest of the spectrum is still sampled.
        this.randomUnit(j + 1);
      } else {
        hk[(j + 1) * k + j] = beta;
        const b = (j + 1) * n;
        for (let l = 0; l < n; l++) basis[b + l] = w[l] / beta;
      }
    }
    return true;
  }

  /** Index of the Ritz value of largest modulus (ties: larger re, then larger im). */
  private dominant(): number {
    const { wr, wi } = this;
    let best = 0;
    let bestMod = Math.hypot(wr[0], wi[0]);
    for (let i = 1; i < this.k; i++) {
      const m = Math.hypot(wr[i], wi[i]);
      if (m > bestMod || (m === bestMod && (wr[i] > wr[best] || (wr[i] === wr[best] && wi[i] > wi[best])))) {
        best = i;
        bestMod = m;
      }
    }
    return best;
  }

  /**
   * z with H_k z = μ z for μ = re + i·im, by two steps of inverse iteration
   * on H_k − μI (as EISPACK invit): an LU with partial pivoting between
   * neighbouring rows, a zero pivot replaced by ε‖H_k‖. False if z is not finite.
   */
  private ritzVector(re: number, im: number): boolean {
    const { k, hk, luRe, luIm, multRe, multIm, swapped, zRe, zIm } = this;
    let hNorm = 0;
    for (let i = 0; i < k * k; i++) hNorm += Math.abs(hk[i]);
    const tiny = hNorm > 0 ? hNorm * Number.EPSILON : 1;

    for (let i = 0; i < k * k; i++) {
      luRe[i] = hk[i];
      luIm[i] = 0;
    }
    for (let i = 0; i < k; i++) {
      luRe[i * k + i] -= re;
      luIm[i * k + i] -= im;
    }
    for (let j = 0; j < k; j++) {
      const d = j * k + j;
      const below = d + k;
      if (j + 1 < k) {
        swapped[j] = 0;
        if (Math.hypot(luRe[below], luIm[below]) > Math.hypot(luRe[d], luIm[d])) {
          swapped[j] = 1;
          for (let c = j; c < k; c++) {
            swap(luRe, j * k + c, (j + 1) * k + c);
            swap(luIm, j * k + c, (j + 1) * k + c);
          }
        }
      }
      if (luRe[d] === 0 && luIm[d] === 0) luRe[d] = tiny;
      if (j + 1 === k) break;
      const den = luRe[d] * luRe[d] + luIm[d] * luIm[d];
      const lr = (luRe[below] * luRe[d] + luIm[below] * luIm[d]) / den;
      const li = (luIm[below] * luRe[d] - luRe[below] * luIm[d]) / den;
      multRe[j] = lr;
      multIm[j] = li;
      for (let c = j + 1; c < k; c++) {
        const ar = luRe[j * k + c];
        const ai = luIm[j * k + c];
        luRe[(j + 1) * k + c] -= lr * ar - li * ai;
        luIm[(j + 1) * k + c] -= lr * ai + li * ar;
      }
      luRe[below] = 0;
      luIm[below] = 0;
    }

    zRe.fill(1);
    zIm.fill(0);
    for (let sweep = 0; sweep < 2; sweep++) {
      // Forward: the row swaps and eliminations, applied to z.
      for (let j = 0; j + 1 < k; j++) {
        if (swapped[j] === 1) {
          swap(zRe, j, j + 1);
          swap(zIm, j, j + 1);
        }
        zRe[j + 1] -= multRe[j] * zRe[j] - multIm[j] * zIm[j];
        zIm[j + 1] -= multRe[j] * zIm[j] + multIm[j] * zRe[j];
      }
      // Back substitution with the upper triangular factor.
      for (let i = k - 1; i >= 0; i--) {
        let sr = zRe[i];
        let si = zIm[i];
        for (let c = i + 1; c < k; c++) {
          const ur = luRe[i * k + c];
          const ui = luIm[i * k + c];
          sr -= ur * zRe[c] - ui * zIm[c];
          si -= ur * zIm[c] + ui * zRe[c];
        }
        const dr = luRe[i * k + i];
        const di = luIm[i * k + i];
        const den = dr * dr + di * di;
        zRe[i] = (sr * dr + si * di) / den;
        zIm[i] = (si * dr - sr * di) / den;
      }
      let scale = 0;
      for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(zRe[i]), Math.abs(zIm[i]));
      if (!(scale > 0 && Number.isFinite(scale))) return false;
      for (let i = 0; i < k; i++) {
        zRe[i] /= scale;
        zIm[i] /= scale;
      }
    }
    return true;
  }

  /**
   * start = Re(y) + Im(y), normalised, for the Ritz vector y = V_k z. For a
   * complex pair this lies in the pair's real invariant plane, which the
   * next Krylov space then holds after two steps. False if it vanishes.
   */
  private ritzDirection(): boolean {
    const { n, k, zRe, zIm, basis, start } = this;
    start.fill(0);
    for (let j = 0; j < k; j++) {
      const c = zRe[j] + zIm[j];
      if (c === 0) continue;
      for (let l = 0; l < n; l++) start[l] += c * basis[j * n + l];
    }
    const s = norm2(start, 0, n);
    if (!(s > 0 && Number.isFinite(s))) return false;
    for (let l = 0; l < n; l++) start[l] /= s;
    return true;
  }

  /** A random unit vector orthogonal to basis rows 0..row−1, written to basis row `row`. */
  private randomUnit(row: number): void {
    const { n, basis } = this;
    const b = row * n;
    for (;;) {
      for (let l = 0; l < n; l++) basis[b + l] = this.rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (let i = 0; i < row; i++) {
          const c = dot(basis, i * n, basis, b, n);
          for (let l = 0; l < n; l++) basis[b + l] -= c * basis[i * n + l];
        }
      }
      const s = norm2(basis, b, n);
      // A Gaussian vector in n > k dimensions is essentially never this close
      // to a k-dimensional subspace; draw again if it is.
      if (s > 1e-8) {
        for (let l = 0; l < n; l++) basis[b + l] /= s;
        return;
      }
    }
  }
}

function dot(a: Float64Array, aFrom: number, b: Float64Array, bFrom: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aFrom + i] * b[bFrom + i];
  return s;
}

/**
 * ‖a[from .. from + n)‖₂. Not tensor.ts's norm2: that one is called with
 * every kind of array, so V8 compiles its reads as generic (and slower) ones.
 */
function norm2(a: Float64Array, from: number, n: number): number {
  return Math.sqrt(dot(a, from, a, from, n));
}

function swap(a: Float64Array | Uint8Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
