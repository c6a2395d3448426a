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
import { sensitivityColumns, type Layout, type Shape } from '../params';
import { activate64, addBias64, columnSums64, scaleByDerivative64 } from './elementwise';
import { kernelKind, Workspace, type KernelKind } from './workspace';

/** Float64 buffer lengths of the block method with blocks of h steps: all of its memory, none of it growing with T. */
export function bufferLengths(layout: Layout, h: number): number[] {
  const { m, d, n } = layout.shape;
  const cols = sensitivityColumns(layout.shape);
  return [
    layout.size,
    layout.size,
    m * d,
    d * d,
    d * n, // P, gradient, Uᵀ, Wᵀ, Vᵀ
    h * m,
    (h + 1) * d,
    h * n,
    h * n,
    h * d,
    h * d * d,
    d * d, // the block's X, S, Y, E, δz, G^τ; J
    d * cols,
    d * cols,
    d,
    cols, // Π twice, g0, g0ᵀΠ
  ];
}

/** Bytes of the block method's sensitivity storage (Π twice and one block of G^τ), the part rtrlMemoryLimit bounds. */
export function blockSensitivityBytes(shape: Pick<Shape, 'm' | 'd' | 'hiddenBias'>): number {
  const { d } = shape;
  return 8 * (2 * d * sensitivityColumns(shape) + d * d * d);
}

/** Bytes of the block method's buffers (blocks of d steps): O(d²(m + d)), independent of the sequence length. */
export function blockRtrlBytes(layout: Layout): number {
  return 8 * bufferLengths(layout, layout.shape.d).reduce((s, n) => s + n, 0);
}

export class BlockRtrl {
  readonly cols: number;
  /** Steps per block. */
  readonly h: number;
  readonly ws: Workspace;
  private readonly P: Float64Array;
  private readonly GR: Float64Array; // gradient accumulator
  private readonly Ut: Float64Array;
  private readonly Wt: Float64Array;
  private readonly Vt: Float64Array;
  private readonly X: Float64Array; // h × m inputs of the block
  private readonly S: Float64Array; // (h+1) × d: s^{t0}, then the block's states
  private readonly Y: Float64Array; // h × n
  private readonly E: Float64Array; // h × n
  private readonly DZ: Float64Array; // h × d
  private readonly G: Float64Array; // h × d × d: G^τ for the block's steps
  private readonly J: Float64Array; // d × d
  private pi: Float64Array; // d × cols
  private piNext: Float64Array;
  private readonly g0: Float64Array; // d
  private readonly gc: Float64Array; // cols
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
    this.ws = new Workspace(bufferLengths(layout, h), kernels);
    [
      this.P,
      this.GR,
      this.Ut,
      this.Wt,
      this.Vt,
      this.X,
      this.S,
      this.Y,
      this.E,
      this.DZ,
      this.G,
      this.J,
      this.pi,
      this.piNext,
      this.g0,
      this.gc,
    ] = this.ws.arrays;
    this.fp = new Float64Array(d);
    this.targets = new Float64Array(h * n);
    this.weights = new Float64Array(h);
  }

  /** s^0 = 0 and Π = 0: the start of an independent sequence. */
  reset(): void {
    this.pi.fill(0);
    this.S.fill(0, 0, this.layout.shape.d);
    this.zero = true;
  }

  /** The hidden state after the latest sequence. */
  get state(): Float64Array {
    return this.S.subarray(0, this.layout.shape.d);
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
    const { layout, ws, P, GR } = this;
    const { m, d, n } = layout.shape;
    const { T, B } = batch;
    if (batch.m !== m || batch.n !== n) throw new RangeError(`batch has m = ${batch.m}, n = ${batch.n}; the model needs ${m}, ${n}`);
    P.set(p);
    ws.transpose(d, m, P, layout.U, m, this.Ut, 0);
    ws.transpose(d, d, P, layout.W, d, this.Wt, 0);
    ws.transpose(n, d, P, layout.V, d, this.Vt, 0);
    GR.fill(0);
    let total = 0;
    for (let b = 0; b < B; b++) {
      this.reset();
      for (let t0 = 0; t0 < T; t0 += this.h) {
        const last = t0 + this.h >= T;
        total += this.block(batch, b, t0, Math.min(this.h, T - t0), loss, states, !last || (keepSensitivities && b === B - 1));
      }
    }
    if (states) states.fill(0, 0, B * d);
    grad.set(GR);
    return total;
  }

  /** Steps t0 .. t0+len−1 of sequence b: forward, BPTT inside the block, g0ᵀΠ, and (when `update`) the boundary update of Π. */
  private block(batch: Batch, b: number, t0: number, len: number, loss: LossSpec, states: Float64Array | null, update: boolean): number {
    const { layout, act, ws, P, GR, X, S, Y, E, DZ, targets, weights } = this;
    const { m, d, n } = layout.shape;
    const { B, mask } = batch;
    for (let i = 0; i < len; i++) {
      const r = (t0 + i) * B + b;
      X.set(batch.x.subarray(r * m, r * m + m), i * m);
      targets.set(batch.y.subarray(r * n, r * n + n), i * n);
      weights[i] = (mask === null ? 1 : mask[r]) / B;
    }

    // forward from s^{t0} (row 0 of S)
    ws.nn(len, d, m, X, 0, m, this.Ut, 0, d, S, d, d, false);
    if (layout.b >= 0) addBias64(S, d, len, d, P, layout.b);
    for (let i = 0; i < len; i++) {
      ws.nn(1, d, d, S, i * d, d, this.Wt, 0, d, S, (i + 1) * d, d, true);
      if (act === 'tanh') ws.tanh(S, (i + 1) * d, d);
      else activate64(act, S, (i + 1) * d, d);
      if (states) states.set(S.subarray((i + 1) * d, (i + 2) * d), ((t0 + i + 1) * B + b) * d);
    }
    ws.nn(len, n, d, S, d, d, this.Vt, 0, n, Y, 0, n, false);
    if (layout.c >= 0) addBias64(Y, 0, len, n, P, layout.c);
    const value = lossRows(loss, n, len, Y, 0, targets, 0, weights, 0, 1, E, 0);

    // BPTT inside the block (s^{t0} fixed)
    ws.tn(n, d, len, E, 0, n, S, d, d, GR, layout.V, d, true);
    if (layout.c >= 0) columnSums64(E, 0, len, n, GR, layout.c, true);
    ws.nn(len, d, n, E, 0, n, P, layout.V, d, DZ, 0, d, false);
    for (let i = len - 1; i >= 0; i--) {
      if (i < len - 1) ws.nn(1, d, d, DZ, (i + 1) * d, d, P, layout.W, d, DZ, i * d, d, true);
      scaleByDerivative64(act, S, (i + 1) * d, DZ, i * d, d);
    }
    ws.tn(d, m, len, DZ, 0, d, X, 0, m, GR, layout.U, m, true);
    ws.tn(d, d, len, DZ, 0, d, S, 0, d, GR, layout.W, d, true);
    if (layout.b >= 0) columnSums64(DZ, 0, len, d, GR, layout.b, true);

    // what the block's loss owes to s^{t0}, through the sensitivities carried in: g0ᵀ Π^{t0}
    const { cols } = this;
    const bCol = d * m + d * d;
    if (!this.zero) {
      ws.nn(1, d, d, DZ, 0, d, P, layout.W, d, this.g0, 0, d, false);
      ws.nn(1, cols, d, this.g0, 0, d, this.pi, 0, cols, this.gc, 0, cols, false);
      const gc = this.gc;
      for (let k = 0; k < bCol; k++) GR[layout.U + k] += gc[k];
      if (layout.b >= 0) for (let k = 0; k < d; k++) GR[layout.b + k] += gc[bCol + k];
    }
    if (update) this.boundary(len);
    S.copyWithin(0, len * d, (len + 1) * d); // s^{t1} starts the next block
    return value;
  }

  /** Π^{t1} = (G^{t0+1} W) Π^{t0} + K over the block just processed (its X and S are in place). */
  private boundary(len: number): void {
    const { layout, act, ws, P, G, S, X, fp } = this;
    const { m, d } = layout.shape;
    const dd = d * d,
      cols = this.cols,
      bCol = d * m + dd;
    // G^{t1} = diag f'(z^{t1}); G^τ = (G^{τ+1} W) · diag f'(z^τ)
    const last = (len - 1) * dd;
    G.fill(0, last, last + dd);
    fp.fill(1);
    scaleByDerivative64(act, S, len * d, fp, 0, d);
    for (let l = 0; l < d; l++) G[last + l * d + l] = fp[l];
    for (let i = len - 2; i >= 0; i--) {
      ws.nn(d, d, d, G, (i + 1) * dd, d, P, layout.W, d, G, i * dd, d, false);
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
      ws.nn(d, d, d, G, 0, d, P, layout.W, d, this.J, 0, d, false); // J = ∂s^{t1}/∂s^{t0}
      ws.nn(d, cols, d, this.J, 0, d, this.pi, 0, cols, next, 0, cols, false);
    }
    // K: for each row l, Σ_τ G^τ[l, ·]ᵀ (x^τ | s^{τ−1} | 1)
    for (let l = 0; l < d; l++) {
      const row = l * cols;
      ws.tn(d, m, len, G, l * d, dd, X, 0, m, next, row, m, true);
      ws.tn(d, d, len, G, l * d, dd, S, 0, d, next, row + d * m, d, true);
      if (layout.b >= 0) {
        for (let i = 0; i < len; i++) {
          const gi = i * dd + l * d;
          for (let k = 0; k < d; k++) next[row + bCol + k] += G[gi + k];
        }
      }
    }
    this.piNext = this.pi;
    this.pi = next;
    this.zero = false;
  }
}
