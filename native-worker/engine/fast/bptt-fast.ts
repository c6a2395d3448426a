// BPTT on the fast path: the same computation as ../bptt.ts (see MATH.md),
// with every buffer in one Workspace, float64 or (with the native kernels)
// float32, where every product, recurrence and tanh runs in float32
// arithmetic. The input and output
// projections and the sums of outer products for ∂E/∂U, ∂E/∂W, ∂E/∂V are
// whole-sequence matrix products; only the recurrences z^t += W s^{t−1} and
// δ^t += Wᵀ δz^{t+1} run step by step, each as one product over the batch.
// U, W and V are transposed once per call so that every product reads its
// right-hand matrix row by row (W only where the loop below runs). With the
// native kernels, each recurrence is instead one native call over all T
// steps (Workspace.forwardRecurrence, backwardRecurrence), which can split
// every step between both cores.

import type { Activation, Dtype } from '../../../common/contract';
import type { Batch } from '../batch';
import { lossRows, type LossSpec } from '../loss';
import type { Layout } from '../params';
import { activate64, addBias64, columnSums64, scaleByDerivative64 } from './elementwise';
import { fastBpttLengths } from '../buffers';
import type { FloatArray } from '../tensor';
import { kernelKind, Workspace, type KernelKind } from './workspace';

export class FastBptt {
  readonly ws: Workspace<keyof ReturnType<typeof fastBpttLengths>, FloatArray>;

  /** truncation: block length k for BPTT(k), or null for full BPTT. */
  /** kernels: the fast kernels' kind (WebAssembly where available); float32 needs 'native'. */
  constructor(
    readonly layout: Layout,
    readonly act: Activation,
    readonly T: number,
    readonly B: number,
    readonly truncation: number | null,
    kernels: KernelKind = kernelKind(),
    dtype: Dtype = 'float64',
  ) {
    this.ws = new Workspace(fastBpttLengths(layout, T, B), kernels, dtype);
  }

  /** The states of the latest call, (T+1)·B × d: block t holds s^t (s^0 = 0). */
  get states(): FloatArray {
    return this.ws.buffers.S;
  }

  /** Loss (mean over the batch's sequences) and its gradient, written into grad. */
  gradient(p: ArrayLike<number>, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    const { layout, act, T, B, ws, truncation } = this;
    const { params, dParams, Ut, Wt, Vt, X, S, Y, E, DZ } = this.ws.buffers;
    const { m, d, n } = layout.shape;
    if (batch.T !== T || batch.B !== B || batch.m !== m) {
      throw new RangeError(`batch is ${batch.T}×${batch.B}×${batch.m}; this pass was built for ${T}×${B}×${m}`);
    }
    const TB = T * B,
      Bd = B * d;
    params.set(p);
    X.set(batch.x);
    ws.transpose(d, m, params, layout.U, m, Ut, 0);
    ws.transpose(n, d, params, layout.V, d, Vt, 0);

    // forward: Z = X Uᵀ (+ b) for all t, then s^t = f(z^t + s^{t−1} Wᵀ) step by step, Y = S Vᵀ (+ c)
    S.fill(0, 0, Bd);
    ws.nn({ M: TB, N: d, K: m, A: X, lda: m, B: Ut, ldb: d, C: S, cOff: Bd, ldc: d });
    if (layout.b >= 0) addBias64(S, Bd, TB, d, params, layout.b);
    if (!ws.forwardRecurrence(act, T, B, d, S, 0, params, layout.W)) {
      ws.transpose(d, d, params, layout.W, d, Wt, 0);
      for (let t = 0; t < T; t++) {
        ws.nn({ M: B, N: d, K: d, A: S, aOff: t * Bd, lda: d, B: Wt, ldb: d, C: S, cOff: (t + 1) * Bd, ldc: d, accumulate: true });
        if (act === 'tanh') ws.tanh(S, (t + 1) * Bd, Bd);
        else activate64(act, S, (t + 1) * Bd, Bd);
      }
    }
    ws.nn({ M: TB, N: n, K: d, A: S, aOff: Bd, lda: d, B: Vt, ldb: n, C: Y, ldc: n });
    if (layout.c >= 0) addBias64(Y, 0, TB, n, params, layout.c);
    const value = lossRows(loss, n, TB, Y, 0, batch.y, 0, batch.mask, 0, 1 / B, E, 0);

    // backward: ∂E/∂V = Σ e^t (s^t)ᵀ; δ^t = Vᵀ e^t + Wᵀ δz^{t+1}; δz^t = f'(z^t) ⊙ δ^t
    ws.tn({ M: n, N: d, K: TB, A: E, lda: n, B: S, bOff: Bd, ldb: d, C: dParams, cOff: layout.V, ldc: d });
    if (layout.c >= 0) columnSums64(E, 0, TB, n, dParams, layout.c, false);
    ws.nn({ M: TB, N: d, K: n, A: E, lda: n, B: params, bOff: layout.V, ldb: d, C: DZ, ldc: d });
    if (!ws.backwardRecurrence(act, T, B, d, S, 0, DZ, 0, params, layout.W, truncation)) {
      for (let t = T - 1; t >= 0; t--) {
        const cut = truncation !== null && (t + 1) % truncation === 0;
        if (t < T - 1 && !cut) {
          ws.nn({
            M: B,
            N: d,
            K: d,
            A: DZ,
            aOff: (t + 1) * Bd,
            lda: d,
            B: params,
            bOff: layout.W,
            ldb: d,
            C: DZ,
            cOff: t * Bd,
            ldc: d,
            accumulate: true,
          });
        }
        scaleByDerivative64(act, S, (t + 1) * Bd, DZ, t * Bd, Bd);
      }
    }
    ws.tn({ M: d, N: m, K: TB, A: DZ, lda: d, B: X, ldb: m, C: dParams, cOff: layout.U, ldc: m }); // Σ δz^t (x^t)ᵀ
    ws.tn({ M: d, N: d, K: TB, A: DZ, lda: d, B: S, ldb: d, C: dParams, cOff: layout.W, ldc: d }); // Σ δz^t (s^{t−1})ᵀ
    if (layout.b >= 0) columnSums64(DZ, 0, TB, d, dParams, layout.b, false);
    grad.set(dParams);
    return value;
  }
}
