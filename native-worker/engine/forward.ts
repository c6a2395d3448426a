// The forward pass of MATH.md, shared by every gradient method:
//   z^t = U x^t + W s^{t−1} (+ b),   s^t = f(z^t),   y^t = V s^t (+ c),   s^0 = 0
// Over a whole batch the input and output projections are single matrix
// products (X Uᵀ and S Vᵀ); only W s^{t−1} runs step by step.

import type { Activation, Dtype } from '../../common/contract';
import { activate } from './activation';
import type { Batch } from './batch';
import { gemmNT } from './gemm';
import type { Layout } from './params';
import { allocate, type FloatArray } from './tensor';

/** Add a bias vector (length cols) to each of `rows` rows starting at off. */
export function addBias(a: FloatArray, off: number, rows: number, cols: number, p: FloatArray, bOff: number): void {
  for (let r = 0; r < rows; r++) {
    const o = off + r * cols;
    for (let k = 0; k < cols; k++) a[o + k] += p[bOff + k];
  }
}

/** One recurrent step for `rows` states: z += s^{t−1} Wᵀ (+ b), then s^t = f(z), in place at zOff. */
export function recur(
  layout: Layout,
  act: Activation,
  p: FloatArray,
  rows: number,
  sPrev: FloatArray,
  spOff: number,
  z: FloatArray,
  zOff: number,
): void {
  const d = layout.shape.d;
  gemmNT(rows, d, d, sPrev, spOff, p, layout.W, z, zOff, true);
  activate(act, z, zOff, rows * d);
}

export class ForwardPass {
  /** States, (T+1)·B × d: rows 0..B−1 hold s^0, rows of block t+1 hold s^{t+1}. */
  readonly S: FloatArray;
  /** Outputs, T·B × n. */
  readonly Y: FloatArray;

  constructor(
    readonly layout: Layout,
    readonly act: Activation,
    dtype: Dtype,
    readonly T: number,
    readonly B: number,
  ) {
    const { d, n } = layout.shape;
    this.S = allocate(dtype, (T + 1) * B * d);
    this.Y = allocate(dtype, T * B * n);
  }

  run(p: FloatArray, batch: Batch): void {
    const { layout, act, T, B, S, Y } = this;
    const { m, d, n } = layout.shape;
    if (batch.T !== T || batch.B !== B || batch.m !== m) {
      throw new RangeError(`batch is ${batch.T}×${batch.B}×${batch.m}; this pass was built for ${T}×${B}×${m}`);
    }
    const TB = T * B;
    S.fill(0, 0, B * d);
    gemmNT(TB, d, m, batch.x, 0, p, layout.U, S, B * d, false);
    if (layout.b >= 0) addBias(S, B * d, TB, d, p, layout.b);
    for (let t = 0; t < T; t++) recur(layout, act, p, B, S, t * B * d, S, (t + 1) * B * d);
    gemmNT(TB, n, d, S, B * d, p, layout.V, Y, 0, false);
    if (layout.c >= 0) addBias(Y, 0, TB, n, p, layout.c);
  }
}
