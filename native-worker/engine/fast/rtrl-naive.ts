// Exact RTRL on the fast path (float64): the computation of ../rtrl.ts
// (MATH.md, with its two corrections), with the sensitivities [P Q R] in a
// Workspace so that the O(d⁴) product runs in the fast kernels. The factor
// f'(z^t) is folded into W before the product:
//   [P Q R]^t = (diag f'(z^t) · W) · [P Q R]^{t−1} + diag f'(z^t) · (immediate terms)
// which is the same sum as the reference's f' · (W · [P Q R] + immediate)
// up to rounding. Kept for online learning and for its sensitivity tensors;
// rtrl-block.ts computes the same gradient in O(d³) per step.

import type { Activation } from '../../../common/contract';
import { derivativeFromOutput } from '../activation';
import type { Batch } from '../batch';
import { lossRows, type LossSpec } from '../loss';
import { sensitivityColumns, sensitivityOffsets, type Layout } from '../params';
import { activate64 } from './elementwise';
import { tanhInPlace } from './tanh';
import { fastRtrlLengths } from '../buffers';
import { kernelKind, Workspace, type KernelKind } from './workspace';
import { RtrlCarry } from '../rtrl-carry';

export class FastRtrl extends RtrlCarry<Float64Array> {
  /** Sensitivity columns: dm for U, d² for W, d for b when present. */
  readonly cols: number;
  readonly ws: Workspace<keyof ReturnType<typeof fastRtrlLengths>>;
  protected sens: Float64Array; // [P Q R] after the latest step
  private next: Float64Array;
  protected s: Float64Array;
  private sPrev: Float64Array;
  private readonly fp: Float64Array;
  private readonly y: Float64Array;
  private readonly e: Float64Array;

  /** kernels: the fast kernels' kind (WebAssembly where available). */
  constructor(
    readonly layout: Layout,
    readonly act: Activation,
    kernels: KernelKind = kernelKind(),
  ) {
    super();
    const { d, n } = layout.shape;
    this.cols = sensitivityColumns(layout.shape);
    this.ws = new Workspace(fastRtrlLengths(layout), kernels);
    this.sens = this.ws.buffers.sens;
    this.next = this.ws.buffers.sensNext;
    this.s = new Float64Array(d);
    this.sPrev = new Float64Array(d);
    this.fp = new Float64Array(d);
    this.y = new Float64Array(n);
    this.e = new Float64Array(n);
  }

  /** Take the parameters for the coming steps (a copy; call again whenever they change). */
  load(p: ArrayLike<number>): void {
    this.ws.buffers.params.set(p);
  }

  /**
   * One time step with the loaded parameters: forward from x^t, the loss of
   * y^t (weighted by `weight`), the sensitivity update, and ∂E^t/∂θ added
   * to grad. Returns the weighted E^t.
   */
  step(
    x: ArrayLike<number>,
    xOff: number,
    target: ArrayLike<number>,
    tOff: number,
    weight: number,
    loss: LossSpec,
    grad: Float64Array,
  ): number {
    const { layout, act, cols, ws, fp } = this;
    const { params, Wf, Vte, stepGrad } = ws.buffers;
    const { m, d, n } = layout.shape;
    const s = this.sPrev,
      sPrev = this.s; // the old s becomes s^{t−1}
    this.s = s;
    this.sPrev = sPrev;

    // forward: z = U x^t + W s^{t−1} (+ b), s^t = f(z), y^t = V s^t (+ c)
    const { U, W, V, b } = layout;
    for (let l = 0; l < d; l++) {
      let z = 0;
      const u = U + l * m,
        w = W + l * d;
      for (let j = 0; j < m; j++) z += params[u + j] * x[xOff + j];
      for (let k = 0; k < d; k++) z += params[w + k] * sPrev[k];
      s[l] = b >= 0 ? z + params[b + l] : z;
    }
    if (act === 'tanh') tanhInPlace(s, 0, d);
    else activate64(act, s, 0, d);
    for (let l = 0; l < d; l++) fp[l] = derivativeFromOutput(act, s[l]);

    // sensitivities: next = (diag f' · W) · sens, plus f' times the immediate terms on row l's own blocks
    for (let l = 0; l < d; l++) {
      const f = fp[l],
        w = W + l * d,
        r = l * d;
      for (let k = 0; k < d; k++) Wf[r + k] = f * params[w + k];
    }
    const next = this.next;
    ws.nn({ M: d, N: cols, K: d, A: Wf, lda: d, B: this.sens, ldb: cols, C: next, ldc: cols });
    const { Q, R } = sensitivityOffsets(layout.shape);
    for (let l = 0; l < d; l++) {
      const f = fp[l],
        row = l * cols;
      for (let j = 0; j < m; j++) next[row + l * m + j] += f * x[xOff + j];
      for (let j = 0; j < d; j++) next[row + Q + l * d + j] += f * sPrev[j];
      if (b >= 0) next[row + R + l] += f;
    }
    this.next = this.sens;
    this.sens = next;

    if (weight === 0) return 0;
    const y = this.y,
      e = this.e;
    for (let i = 0; i < n; i++) {
      let v = 0;
      const r = V + i * d;
      for (let j = 0; j < d; j++) v += params[r + j] * s[j];
      y[i] = layout.c >= 0 ? v + params[layout.c + i] : v;
    }
    const value = lossRows(loss, n, 1, y, 0, target, tOff, null, 0, weight, e, 0);
    // V and c: ∂E^t/∂v_ij = e_i s_j, ∂E^t/∂c_i = e_i; and Vᵀ e^t
    Vte.fill(0);
    for (let i = 0; i < n; i++) {
      const ei = e[i],
        r = V + i * d;
      for (let j = 0; j < d; j++) {
        grad[r + j] += ei * s[j];
        Vte[j] += ei * params[r + j];
      }
      if (layout.c >= 0) grad[layout.c + i] += ei;
    }
    // U, W, b: grad += (Vᵀ e^t)ᵀ · [P Q R]; U and W are adjacent in the layout, as P and Q are here
    ws.nn({ M: 1, N: cols, K: d, A: Vte, lda: d, B: next, ldb: cols, C: stepGrad, ldc: cols });
    for (let k = 0; k < R; k++) grad[U + k] += stepGrad[k];
    if (b >= 0) for (let k = 0; k < d; k++) grad[b + k] += stepGrad[R + k];
    return value;
  }
}

/**
 * Exact RTRL over a whole batch with fixed weights (as rtrlGradient in
 * ../rtrl.ts): each sequence from s^0 = 0 and zero sensitivities, the mean
 * gradient over the batch. When `states` is given ((T+1)·B × d, the layout
 * of the forward pass) the hidden states are written there. Returns the mean loss.
 */
export function fastRtrlGradient(
  rtrl: FastRtrl,
  p: ArrayLike<number>,
  batch: Batch,
  loss: LossSpec,
  grad: Float64Array,
  states: Float64Array | null,
): number {
  const { T, B, m, n, x, y, mask } = batch;
  const d = rtrl.layout.shape.d;
  grad.fill(0);
  rtrl.load(p);
  let total = 0;
  for (let b = 0; b < B; b++) {
    rtrl.reset();
    for (let t = 0; t < T; t++) {
      const r = t * B + b;
      const w = mask === null ? 1 / B : mask[r] / B;
      total += rtrl.step(x, r * m, y, r * n, w, loss, grad);
      if (states) states.set(rtrl.state, (r + B) * d);
    }
  }
  if (states) states.fill(0, 0, B * d);
  return total;
}
