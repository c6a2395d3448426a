// Exact RTRL in O(d³) average time per step (Schmidhuber 1992, "A fixed size
// storage O(n³) time complexity learning algorithm for fully recurrent
// continually running networks", Neural Computation 4(2), 243–248): BPTT
// over blocks of h = d steps, and an RTRL update of the sensitivities
// Π = ∂s/∂θ = [P Q R] (MATH.md) only at block boundaries.
//
// For a block of steps t0+1 .. t1 with Π^{t0} known:
//   Π^t = J_{t←t0} Π^{t0} + (the part of ∂s^t/∂θ from inside the block), so
//   Σ_t (Vᵀe^t)ᵀ Π^t = (BPTT inside the block, s^{t0} held fixed) + g0ᵀ Π^{t0},
//   g0 = ∂E_block/∂s^{t0} = Wᵀ δz^{t0+1}:                        O(h d² + d·cols)
// and the boundary update uses G^τ = ∂s^{t1}/∂z^τ (d × d), back-propagated
// from G^{t1} = diag f'(z^{t1}) by G^τ = (G^{τ+1} W) · diag f'(z^τ):
//   Π^{t1} = (G^{t0+1} W) Π^{t0} + K,   K[l,(i,j)] = Σ_τ G^τ[l,i] · (x_j^τ | s_j^{τ−1} | 1)
// which costs O(h d³ + d³(m + d)) once per block: O(d²(m + d)) per step on
// average instead of RTRL's O(d³(m + d)). The gradient equals naive RTRL's
// to rounding. The update at the end of a sequence is needed only by whoever
// reads the sensitivities afterwards (batch training starts every sequence
// from Π = 0), so it is made on request; a sequence of at most h steps is
// then plain BPTT, as the paper intends for short sequences. Memory: Π
// twice and the h G's, O(d²(m + d)), independent of T.

import type { Activation } from '../../../common/contract';
import type { Batch } from '../batch';
import { lossRows, type LossSpec } from '../loss';
import { sensitivityColumns, sensitivityOffsets, type Layout } from '../params';
import { activate64, addBias64, columnSums64, scaleByDerivative64 } from './elementwise';
import { blockRtrlLengths } from '../buffers';
import { kernelKind, Workspace, type KernelKind } from './workspace';

export class BlockRtrl {
  readonly cols: number;
  /** Steps per block. */
  readonly h: number;
  readonly ws: Workspace<keyof ReturnType<typeof blockRtrlLengths>>;
  private pi: Float64Array; // Π^{t0}, d × cols
  private piNext: Float64Array;
  private readonly fp: Float64Array; // d
  private readonly targets: Float64Array; // h × n
  private readonly weights: Float64Array; // h
  /** True while Π is zero (the first block of a sequence): its products are skipped. */
  private zero = true;

  /** blockLength: steps per block (d, as in the paper, unless a test asks otherwise); kernels: the fast kernels' kind. */
  constructor(
    readonly layout: Layout,
    readonly act: Activation,
    blockLength = layout.shape.d,
    kernels: KernelKind = kernelKind(),
  ) {
    const { d, n } = layout.shape;
    if (!Number.isInteger(blockLength) || blockLength < 1)
      throw new RangeError(`block length must be a whole number ≥ 1, got ${blockLength}`);
    const h = blockLength;
    this.h = h;
    this.cols = sensitivityColumns(layout.shape);
    this.ws = new Workspace(blockRtrlLengths(layout, h), kernels);
    this.pi = this.ws.buffers.pi;
    this.piNext = this.ws.buffers.piNext;
    this.fp = new Float64Array(d);
    this.targets = new Float64Array(h * n);
    this.weights = new Float64Array(h);
  }

  /** s^0 = 0 and Π = 0: the start of an independent sequence. */
  reset(): void {
    this.pi.fill(0);
    this.ws.buffers.S.fill(0, 0, this.layout.shape.d);
    this.zero = true;
  }

  /** The hidden state after the latest sequence. */
  get state(): Float64Array {
    return this.ws.buffers.S.subarray(0, this.layout.shape.d);
  }

  /** The sensitivities [P Q R] after the latest sequence, d × cols row-major, as naive RTRL lays them out (read only). */
  get sensitivities(): Float64Array {
    return this.pi;
  }

  /**
   * The gradient of naive RTRL over a batch with fixed weights (each sequence
   * from s^0 = 0, mean over the batch), written into grad; returns the mean
   * loss. When `states` is given ((T+1)·B × d, the forward pass's layout) the
   * hidden states are written there. keepSensitivities: bring Π up to the
   * last step of the last sequence (as naive RTRL leaves it); otherwise
   * `sensitivities` afterwards holds Π at that sequence's last block boundary.
   */
  gradient(
    p: ArrayLike<number>,
    batch: Batch,
    loss: LossSpec,
    grad: Float64Array,
    states: Float64Array | null = null,
    keepSensitivities = false,
  ): number {
    const { layout, ws } = this;
    const { params, dParams, Ut, Wt, Vt } = ws.buffers;
    const { m, d, n } = layout.shape;
    const { T, B } = batch;
    if (batch.m !== m || batch.n !== n) throw new RangeError(`batch has m = ${batch.m}, n = ${batch.n}; the model needs ${m}, ${n}`);
    params.set(p);
    ws.transpose(d, m, params, layout.U, m, Ut, 0);
    ws.transpose(d, d, params, layout.W, d, Wt, 0);
    ws.transpose(n, d, params, layout.V, d, Vt, 0);
    dParams.fill(0);
    let total = 0;
    for (let b = 0; b < B; b++) {
      this.reset();
      for (let t0 = 0; t0 < T; t0 += this.h) {
        const last = t0 + this.h >= T;
        total += this.block(batch, b, t0, Math.min(this.h, T - t0), loss, states, !last || (keepSensitivities && b === B - 1));
      }
    }
    if (states) states.fill(0, 0, B * d);
    grad.set(dParams);
    return total;
  }

  /** Steps t0 .. t0+len−1 of sequence b: forward, BPTT inside the block, g0ᵀΠ, and (when `update`) the boundary update of Π. */
  private block(batch: Batch, b: number, t0: number, len: number, loss: LossSpec, states: Float64Array | null, update: boolean): number {
    const { layout, act, ws, targets, weights } = this;
    const { params, dParams, Ut, Wt, Vt, X, S, Y, E, DZ, g0, g0Pi } = ws.buffers;
    const { m, d, n } = layout.shape;
    const { B, mask } = batch;
    for (let i = 0; i < len; i++) {
      const r = (t0 + i) * B + b;
      X.set(batch.x.subarray(r * m, r * m + m), i * m);
      targets.set(batch.y.subarray(r * n, r * n + n), i * n);
      weights[i] = (mask === null ? 1 : mask[r]) / B;
    }

    // forward from s^{t0} (row 0 of S): z^τ = U x^τ (+ b) + W s^{τ−1}, s^τ = f(z^τ), y^τ = V s^τ (+ c)
    ws.nn({ M: len, N: d, K: m, A: X, lda: m, B: Ut, ldb: d, C: S, cOff: d, ldc: d });
    if (layout.b >= 0) addBias64(S, d, len, d, params, layout.b);
    for (let i = 0; i < len; i++) {
      ws.nn({ M: 1, N: d, K: d, A: S, aOff: i * d, lda: d, B: Wt, ldb: d, C: S, cOff: (i + 1) * d, ldc: d, accumulate: true });
      if (act === 'tanh') ws.tanh(S, (i + 1) * d, d);
      else activate64(act, S, (i + 1) * d, d);
      if (states) states.set(S.subarray((i + 1) * d, (i + 2) * d), ((t0 + i + 1) * B + b) * d);
    }
    ws.nn({ M: len, N: n, K: d, A: S, aOff: d, lda: d, B: Vt, ldb: n, C: Y, ldc: n });
    if (layout.c >= 0) addBias64(Y, 0, len, n, params, layout.c);
    const value = lossRows(loss, n, len, Y, 0, targets, 0, weights, 0, 1, E, 0);

    // BPTT inside the block (s^{t0} fixed): ∂E/∂V += Σ e^τ (s^τ)ᵀ; δz^τ = f'(z^τ) ⊙ (Vᵀ e^τ + Wᵀ δz^{τ+1})
    ws.tn({ M: n, N: d, K: len, A: E, lda: n, B: S, bOff: d, ldb: d, C: dParams, cOff: layout.V, ldc: d, accumulate: true });
    if (layout.c >= 0) columnSums64(E, 0, len, n, dParams, layout.c, true);
    ws.nn({ M: len, N: d, K: n, A: E, lda: n, B: params, bOff: layout.V, ldb: d, C: DZ, ldc: d });
    for (let i = len - 1; i >= 0; i--) {
      if (i < len - 1) {
        ws.nn({
          M: 1,
          N: d,
          K: d,
          A: DZ,
          aOff: (i + 1) * d,
          lda: d,
          B: params,
          bOff: layout.W,
          ldb: d,
          C: DZ,
          cOff: i * d,
          ldc: d,
          accumulate: true,
        });
      }
      scaleByDerivative64(act, S, (i + 1) * d, DZ, i * d, d);
    }
    ws.tn({ M: d, N: m, K: len, A: DZ, lda: d, B: X, ldb: m, C: dParams, cOff: layout.U, ldc: m, accumulate: true }); // Σ δz^τ (x^τ)ᵀ
    ws.tn({ M: d, N: d, K: len, A: DZ, lda: d, B: S, ldb: d, C: dParams, cOff: layout.W, ldc: d, accumulate: true }); // Σ δz^τ (s^{τ−1})ᵀ
    if (layout.b >= 0) columnSums64(DZ, 0, len, d, dParams, layout.b, true);

    // what the block's loss owes to s^{t0}, through the sensitivities carried in: g0ᵀ Π^{t0}, g0 = Wᵀ δz^{t0+1}
    const { cols } = this;
    const { R } = sensitivityOffsets(layout.shape);
    if (!this.zero) {
      ws.nn({ M: 1, N: d, K: d, A: DZ, lda: d, B: params, bOff: layout.W, ldb: d, C: g0, ldc: d });
      ws.nn({ M: 1, N: cols, K: d, A: g0, lda: d, B: this.pi, ldb: cols, C: g0Pi, ldc: cols });
      for (let k = 0; k < R; k++) dParams[layout.U + k] += g0Pi[k];
      if (layout.b >= 0) for (let k = 0; k < d; k++) dParams[layout.b + k] += g0Pi[R + k];
    }
    if (update) this.boundary(len);
    S.copyWithin(0, len * d, (len + 1) * d); // s^{t1} starts the next block
    return value;
  }

  /** Π^{t1} = (G^{t0+1} W) Π^{t0} + K over the block just processed (its X and S are in place). */
  private boundary(len: number): void {
    const { layout, act, ws, fp } = this;
    const { params, G, J, S, X } = ws.buffers;
    const { m, d } = layout.shape;
    const dd = d * d,
      cols = this.cols;
    const { Q, R } = sensitivityOffsets(layout.shape);
    // G^{t1} = diag f'(z^{t1}); G^τ = (G^{τ+1} W) · diag f'(z^τ)
    const last = (len - 1) * dd;
    G.fill(0, last, last + dd);
    fp.fill(1);
    scaleByDerivative64(act, S, len * d, fp, 0, d);
    for (let l = 0; l < d; l++) G[last + l * d + l] = fp[l];
    for (let i = len - 2; i >= 0; i--) {
      ws.nn({ M: d, N: d, K: d, A: G, aOff: (i + 1) * dd, lda: d, B: params, bOff: layout.W, ldb: d, C: G, cOff: i * dd, ldc: d });
      fp.fill(1);
      scaleByDerivative64(act, S, (i + 1) * d, fp, 0, d);
      const gi = i * dd;
      for (let l = 0; l < d; l++) {
        const r = gi + l * d;
        for (let k = 0; k < d; k++) G[r + k] *= fp[k];
      }
    }
    const next = this.piNext;
    if (this.zero) next.fill(0);
    else {
      ws.nn({ M: d, N: d, K: d, A: G, lda: d, B: params, bOff: layout.W, ldb: d, C: J, ldc: d }); // J = G^{t0+1} W
      ws.nn({ M: d, N: cols, K: d, A: J, lda: d, B: this.pi, ldb: cols, C: next, ldc: cols });
    }
    // K: for each row l, Σ_τ G^τ[l, ·]ᵀ (x^τ | s^{τ−1} | 1); row l of every G^τ is column l of a len × (d·d) matrix
    for (let l = 0; l < d; l++) {
      const row = l * cols;
      ws.tn({ M: d, N: m, K: len, A: G, aOff: l * d, lda: dd, B: X, ldb: m, C: next, cOff: row, ldc: m, accumulate: true });
      ws.tn({ M: d, N: d, K: len, A: G, aOff: l * d, lda: dd, B: S, ldb: d, C: next, cOff: row + Q, ldc: d, accumulate: true });
      if (layout.b >= 0) {
        for (let i = 0; i < len; i++) {
          const gi = i * dd + l * d;
          for (let k = 0; k < d; k++) next[row + R + k] += G[gi + k];
        }
      }
    }
    this.piNext = this.pi;
    this.pi = next;
    this.zero = false;
  }
}
