// Backpropagation through time (MATH.md), exact or truncated:
//   δ^t  = Vᵀ e^t + Wᵀ δz^{t+1}      (δz^{T+1} = 0)
//   δz^t = f'(z^t) ⊙ δ^t
//   ∂E/∂U = Σ_t δz^t (x^t)ᵀ,  ∂E/∂W = Σ_t δz^t (s^{t−1})ᵀ,  ∂E/∂V = Σ_t e^t (s^t)ᵀ
// Everything but the δ recurrence is a whole-batch matrix product.
// Truncated BPTT(k) cuts the sequence into blocks of k steps and lets no
// gradient cross a block boundary (the state still flows forward).

import type { Activation, Dtype } from '../../common/contract';
import { derivatives } from './activation';
import type { Batch } from './batch';
import { ForwardPass } from './forward';
import { gemmNN, gemmTN } from './gemm';
import { lossRows, type LossSpec } from './loss';
import type { Layout } from './params';
import { allocate, type FloatArray } from './tensor';

/** Column sums of a rows × cols block, written to out[outOff..]. */
function columnSums(a: FloatArray, rows: number, cols: number, out: Float64Array, outOff: number): void {
  out.fill(0, outOff, outOff + cols);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[outOff + k] += a[r * cols + k];
}

export class Bptt {
  readonly forward: ForwardPass;
  private readonly E: FloatArray; // T·B × n error signals e^t
  private readonly DZ: FloatArray; // T·B × d: first Vᵀe^t, then δz^t
  private readonly fp: FloatArray; // B × d scratch for f'

  /** truncation: block length k for BPTT(k), or null for full BPTT. */
  constructor(
    readonly layout: Layout,
    readonly act: Activation,
    dtype: Dtype,
    readonly T: number,
    readonly B: number,
    readonly truncation: number | null,
  ) {
    const { d, n } = layout.shape;
    this.forward = new ForwardPass(layout, act, dtype, T, B);
    this.E = allocate(dtype, T * B * n);
    this.DZ = allocate(dtype, T * B * d);
    this.fp = allocate(dtype, B * d);
  }

  /** The states of the latest call, (T+1)·B × d: block t holds s^t (s^0 = 0). */
  get states(): FloatArray {
    return this.forward.S;
  }

  /** δz^t = ∂E/∂z^t of the latest call, T·B × d: block t − 1 holds step t. */
  get deltas(): FloatArray {
    return this.DZ;
  }

  /** Loss (mean over the batch's sequences) and its gradient, written into grad. */
  gradient(p: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    const { layout, act, T, B, E, DZ, fp, truncation } = this;
    const { m, d, n } = layout.shape;
    const TB = T * B,
      Bd = B * d;
    this.forward.run(p, batch);
    const { S, Y } = this.forward;
    const value = lossRows(loss, n, TB, Y, 0, batch.y, 0, batch.mask, 0, 1 / B, E, 0);

    gemmTN(n, d, TB, E, 0, S, Bd, grad, layout.V, false); // ∂E/∂V = Σ e^t (s^t)ᵀ
    if (layout.c >= 0) columnSums(E, TB, n, grad, layout.c);
    gemmNN(TB, d, n, E, 0, p, layout.V, DZ, 0, false); // Vᵀ e^t for every t at once

    for (let t = T - 1; t >= 0; t--) {
      const cut = truncation !== null && (t + 1) % truncation === 0;
      if (t < T - 1 && !cut) gemmNN(B, d, d, DZ, (t + 1) * Bd, p, layout.W, DZ, t * Bd, true); // + Wᵀ δz^{t+1}
      derivatives(act, S, (t + 1) * Bd, Bd, fp, 0);
      for (let i = 0; i < Bd; i++) DZ[t * Bd + i] *= fp[i];
    }

    gemmTN(d, m, TB, DZ, 0, batch.x, 0, grad, layout.U, false); // Σ δz^t (x^t)ᵀ
    gemmTN(d, d, TB, DZ, 0, S, 0, grad, layout.W, false); // Σ δz^t (s^{t−1})ᵀ
    if (layout.b >= 0) columnSums(DZ, TB, d, grad, layout.b);
    return value;
  }
}
