// BPTT on the fast path (float64): the same computation as ../bptt.ts (see
// MATH.md), with every buffer in one Workspace. The input and output
// projections and the sums of outer products for ∂E/∂U, ∂E/∂W, ∂E/∂V are
// whole-sequence matrix products; only the recurrences z^t += W s^{t−1} and
// δ^t += Wᵀ δz^{t+1} run step by step, each as one product over the batch.
// U, W and V are transposed once per call so that every product reads its
// right-hand matrix row by row (W only where the loop below runs). With the
// native kernels, each recurrence is instead one native call over all T
// steps (Workspace.forwardRecurrence, backwardRecurrence), which can split
// every step between both cores.

import type { Activation } from '../../../common/contract';
import type { Batch } from '../batch';
import { lossRows, type LossSpec } from '../loss';
import type { Layout } from '../params';
import { activate64, addBias64, columnSums64, scaleByDerivative64 } from './elementwise';
import { kernelKind, Workspace, type KernelKind } from './workspace';

/** The workspace's buffers: P, G, Uᵀ, Wᵀ, Vᵀ, then X, S, Y, E, DZ for all T·B rows (O(T·B·d), as in the fields below). */
export function fastBpttLengths(layout: Layout, T: number, B: number): number[] {
  const { m, d, n } = layout.shape;
  const TB = T * B;
  return [layout.size, layout.size, m * d, d * d, d * n, TB * m, (T + 1) * B * d, TB * n, TB * n, TB * d];
}

export class FastBptt {
  readonly ws: Workspace;
  private readonly P: Float64Array; // parameters
  private readonly G: Float64Array; // gradient
  private readonly Ut: Float64Array; // m × d
  private readonly Wt: Float64Array; // d × d
  private readonly Vt: Float64Array; // d × n
  private readonly X: Float64Array; // T·B × m
  private readonly S: Float64Array; // (T+1)·B × d
  private readonly Y: Float64Array; // T·B × n
  private readonly E: Float64Array; // T·B × n
  private readonly DZ: Float64Array; // T·B × d

  /** truncation: block length k for BPTT(k), or null for full BPTT. */
  /** kernels: the fast kernels' kind (WebAssembly where available). */
  constructor(
    readonly layout: Layout,
    readonly act: Activation,
    readonly T: number,
    readonly B: number,
    readonly truncation: number | null,
    kernels: KernelKind = kernelKind(),
  ) {
    this.ws = new Workspace(fastBpttLengths(layout, T, B), kernels);
    [this.P, this.G, this.Ut, this.Wt, this.Vt, this.X, this.S, this.Y, this.E, this.DZ] = this.ws.arrays;
  }

  /** The states of the latest call, (T+1)·B × d: block t holds s^t (s^0 = 0). */
  get states(): Float64Array {
    return this.S;
  }

  /** Loss (mean over the batch's sequences) and its gradient, written into grad. */
  gradient(p: ArrayLike<number>, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    const { layout, act, T, B, ws, P, G, Ut, Wt, Vt, X, S, Y, E, DZ, truncation } = this;
    const { m, d, n } = layout.shape;
    if (batch.T !== T || batch.B !== B || batch.m !== m) {
      throw new RangeError(`batch is ${batch.T}×${batch.B}×${batch.m}; this pass was built for ${T}×${B}×${m}`);
    }
    const TB = T * B,
      Bd = B * d;
    P.set(p);
    X.set(batch.x);
    ws.transpose(d, m, P, layout.U, m, Ut, 0);
    ws.transpose(n, d, P, layout.V, d, Vt, 0);

    // forward: Z = X Uᵀ (+ b) for all t, then s^t = f(z^t + s^{t−1} Wᵀ) step by step, Y = S Vᵀ (+ c)
    S.fill(0, 0, Bd);
    ws.nn(TB, d, m, X, 0, m, Ut, 0, d, S, Bd, d, false);
    if (layout.b >= 0) addBias64(S, Bd, TB, d, P, layout.b);
    if (!ws.forwardRecurrence(act, T, B, d, S, 0, P, layout.W)) {
      ws.transpose(d, d, P, layout.W, d, Wt, 0);
      for (let t = 0; t < T; t++) {
        ws.nn(B, d, d, S, t * Bd, d, Wt, 0, d, S, (t + 1) * Bd, d, true);
        if (act === 'tanh') ws.tanh(S, (t + 1) * Bd, Bd);
        else activate64(act, S, (t + 1) * Bd, Bd);
      }
    }
    ws.nn(TB, n, d, S, Bd, d, Vt, 0, n, Y, 0, n, false);
    if (layout.c >= 0) addBias64(Y, 0, TB, n, P, layout.c);
    const value = lossRows(loss, n, TB, Y, 0, batch.y, 0, batch.mask, 0, 1 / B, E, 0);

    // backward: ∂E/∂V = Σ e^t (s^t)ᵀ; δ^t = Vᵀ e^t + Wᵀ δz^{t+1}; δz^t = f'(z^t) ⊙ δ^t
    ws.tn(n, d, TB, E, 0, n, S, Bd, d, G, layout.V, d, false);
    if (layout.c >= 0) columnSums64(E, 0, TB, n, G, layout.c, false);
    ws.nn(TB, d, n, E, 0, n, P, layout.V, d, DZ, 0, d, false);
    if (!ws.backwardRecurrence(act, T, B, d, S, 0, DZ, 0, P, layout.W, truncation)) {
      for (let t = T - 1; t >= 0; t--) {
        const cut = truncation !== null && (t + 1) % truncation === 0;
        if (t < T - 1 && !cut) ws.nn(B, d, d, DZ, (t + 1) * Bd, d, P, layout.W, d, DZ, t * Bd, d, true);
        scaleByDerivative64(act, S, (t + 1) * Bd, DZ, t * Bd, Bd);
      }
    }
    ws.tn(d, m, TB, DZ, 0, d, X, 0, m, G, layout.U, m, false); // Σ δz^t (x^t)ᵀ
    ws.tn(d, d, TB, DZ, 0, d, S, 0, d, G, layout.W, d, false); // Σ δz^t (s^{t−1})ᵀ
    if (layout.b >= 0) columnSums64(DZ, 0, TB, d, G, layout.b, false);
    grad.set(G);
    return value;
  }
}
