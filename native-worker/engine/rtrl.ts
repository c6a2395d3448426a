// Real-time recurrent learning (MATH.md): forward-mode sensitivities of the
// hidden state to every recurrent parameter, carried along the sequence.
//
//   P^t[l,(i,j)] = f'(z_l^t) · ( x_j^t δ_li     + Σ_k w_lk P^{t−1}[k,(i,j)] )   ∂s_l^t/∂u_ij
//   Q^t[l,(i,j)] = f'(z_l^t) · ( s_j^{t−1} δ_li + Σ_k w_lk Q^{t−1}[k,(i,j)] )   ∂s_l^t/∂w_ij
//   R^t[l,i]     = f'(z_l^t) · ( δ_li           + Σ_k w_lk R^{t−1}[k,i] )       ∂s_l^t/∂b_i
//
// The recurrence reads the *previous* sensitivities (correction 1 of
// MATH.md), and W's immediate term is s^{t−1}, not x^t (correction 2).
// P, Q and R sit side by side as one d × (dm + d² + d) matrix, so the
// update is one product W · [P Q R]: O(d⁴) per step, memory O(d²(m + d)).
// Then ∂E^t/∂θ = Σ_k Σ_l e_k^t v_kl [P Q R]^t[l, θ] = (Vᵀe^t)ᵀ [P Q R]^t.

import type { Activation, Dtype } from '../../common/contract';
import { derivativeFromOutput } from './activation';
import type { Batch } from './batch';
import { addBias, recur } from './forward';
import { gemmNN, gemmNT } from './gemm';
import { lossRows, type LossSpec } from './loss';
import { sensitivityColumns, sensitivityOffsets, type Layout } from './params';
import { allocate, type FloatArray } from './tensor';
import { RtrlCarry } from './rtrl-carry';

export class Rtrl extends RtrlCarry<FloatArray> {
  /** Sensitivity columns: dm for U, d² for W, d for b when present. */
  readonly cols: number;
  protected sens: FloatArray; // d × cols, the sensitivities at the current step
  private next: FloatArray;
  /** Hidden state s^t (after the latest step) and s^{t−1}. */
  protected s: FloatArray;
  private sPrev: FloatArray;
  private readonly y: FloatArray;
  private readonly e: FloatArray;
  private readonly Vte: FloatArray; // Vᵀ e^t

  constructor(
    readonly layout: Layout,
    readonly act: Activation,
    dtype: Dtype,
  ) {
    super();
    const { d, n } = layout.shape;
    this.cols = sensitivityColumns(layout.shape);
    this.sens = allocate(dtype, d * this.cols);
    this.next = allocate(dtype, d * this.cols);
    this.s = allocate(dtype, d);
    this.sPrev = allocate(dtype, d);
    this.y = allocate(dtype, n);
    this.e = allocate(dtype, n);
    this.Vte = allocate(dtype, d);
  }

  /**
   * One time step: forward from x^t, the loss of y^t against the target
   * (weighted by `weight`), the sensitivity update, and ∂E^t/∂θ added to
   * grad. Returns the weighted E^t.
   */
  step(
    p: FloatArray,
    x: ArrayLike<number>,
    xOff: number,
    target: ArrayLike<number>,
    tOff: number,
    weight: number,
    loss: LossSpec,
    grad: Float64Array,
  ): number {
    const { layout, act, cols } = this;
    const { m, d, n } = layout.shape;
    const { sPrev: s, s: sPrev } = this; // swap roles: the old s becomes s^{t−1}
    this.s = s;
    this.sPrev = sPrev;

    // forward: z = U x^t (+ b), then z += W s^{t−1}, s^t = f(z)
    gemmNT(1, d, m, x, xOff, p, layout.U, s, 0, false);
    if (layout.b >= 0) addBias(s, 0, 1, d, p, layout.b);
    recur(layout, act, p, 1, sPrev, 0, s, 0);
    gemmNT(1, n, d, s, 0, p, layout.V, this.y, 0, false);
    if (layout.c >= 0) addBias(this.y, 0, 1, n, p, layout.c);

    // sensitivities: next = W · sens, immediate terms on row l's own block, scale by f'
    const next = this.next;
    gemmNN(d, cols, d, p, layout.W, this.sens, 0, next, 0, false);
    const { Q, R } = sensitivityOffsets(layout.shape);
    for (let l = 0; l < d; l++) {
      const row = l * cols;
      for (let j = 0; j < m; j++) next[row + l * m + j] += x[xOff + j];
      for (let j = 0; j < d; j++) next[row + Q + l * d + j] += sPrev[j];
      if (layout.b >= 0) next[row + R + l] += 1;
      const fp = derivativeFromOutput(act, s[l]);
      for (let k = 0; k < cols; k++) next[row + k] *= fp;
    }
    this.next = this.sens;
    this.sens = next;

    if (weight === 0) return 0;
    const value = lossRows(loss, n, 1, this.y, 0, target, tOff, null, 0, weight, this.e, 0);
    const { e, Vte } = this;
    // V and c: ∂E^t/∂v_ij = e_i s_j, ∂E^t/∂c_i = e_i
    for (let i = 0; i < n; i++) {
      const g = layout.V + i * d;
      for (let j = 0; j < d; j++) grad[g + j] += e[i] * s[j];
      if (layout.c >= 0) grad[layout.c + i] += e[i];
    }
    // U, W, b: grad += (Vᵀ e)ᵀ · [P Q R]; U and W are adjacent in the layout, as P and Q are here
    gemmNN(1, d, n, e, 0, p, layout.V, Vte, 0, false);
    for (let l = 0; l < d; l++) {
      const el = Vte[l],
        row = l * cols;
      for (let k = 0; k < R; k++) grad[layout.U + k] += el * next[row + k];
      if (layout.b >= 0) for (let k = 0; k < d; k++) grad[layout.b + k] += el * next[row + R + k];
    }
    return value;
  }
}

/**
 * Exact RTRL over a whole batch: each sequence starts from s^0 = 0 with zero
 * sensitivities, the weights stay fixed, and the gradient is the mean over
 * the batch. Returns the mean loss.
 */
export function rtrlGradient(rtrl: Rtrl, p: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number {
  const { T, B, m, n, x, y, mask } = batch;
  grad.fill(0);
  let total = 0;
  for (let b = 0; b < B; b++) {
    rtrl.reset();
    for (let t = 0; t < T; t++) {
      const r = t * B + b;
      const w = mask === null ? 1 / B : mask[r] / B;
      total += rtrl.step(p, x, r * m, y, r * n, w, loss, grad);
    }
  }
  return total;
}
