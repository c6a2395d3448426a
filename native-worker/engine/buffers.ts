// What each gradient computation allocates, known without building it: the
// fast paths' workspace buffers by name and length (each class allocates
// exactly these) and the reference RTRL's sensitivity bytes. The memory
// check and the cost estimate read them in the main process, which never
// loads the computations themselves.

import type { Dtype } from '../../common/contract';
import { sensitivityColumns, type Layout, type Shape } from './params';

/** Bytes the sensitivity matrices of exact RTRL need (two buffers of d × (dm + d² + d)). */
export function rtrlBytes(shape: Pick<Shape, 'm' | 'd' | 'hiddenBias'>, dtype: Dtype): number {
  return 2 * shape.d * sensitivityColumns(shape) * (dtype === 'float32' ? 4 : 8);
}

/** FastBptt's workspace (fast/bptt-fast.ts): the parameters and their gradient, Uᵀ, Wᵀ, Vᵀ, then X, S, Y, E, δz for all T·B rows (O(T·B·d)). */
export function fastBpttLengths(layout: Layout, T: number, B: number) {
  const { m, d, n } = layout.shape;
  const TB = T * B;
  return {
    params: layout.size,
    dParams: layout.size,
    Ut: m * d,
    Wt: d * d,
    Vt: d * n,
    X: TB * m, // inputs x^t, row t·B + b
    S: (T + 1) * B * d, // states s^t, row t·B + b (s^0 = 0 first)
    Y: TB * n, // outputs y^t
    E: TB * n, // error signals e^t
    DZ: TB * d, // first Vᵀe^t, then δz^t
  };
}

/** FastRtrl's workspace (fast/rtrl-naive.ts), none of it growing with T. */
export function fastRtrlLengths(layout: Layout) {
  const { d } = layout.shape;
  const cols = sensitivityColumns(layout.shape);
  return {
    params: layout.size,
    Wf: d * d, // diag f'(z^t) · W
    sens: d * cols, // [P Q R], d × cols: the current step's and (swapped every step) the next
    sensNext: d * cols,
    Vte: d, // Vᵀ e^t
    stepGrad: cols, // (Vᵀ e^t)ᵀ [P Q R]: the step's ∂E^t/∂(U, W, b)
  };
}

/** BlockRtrl's workspace (fast/rtrl-block.ts) with blocks of h steps: all of its memory, none of it growing with T. */
export function blockRtrlLengths(layout: Layout, h: number) {
  const { m, d, n } = layout.shape;
  const cols = sensitivityColumns(layout.shape);
  return {
    params: layout.size,
    dParams: layout.size, // the gradient, summed over the batch
    Ut: m * d,
    Wt: d * d,
    Vt: d * n,
    X: h * m, // the block's inputs
    S: (h + 1) * d, // s^{t0}, then the block's states
    Y: h * n,
    E: h * n,
    DZ: h * d, // δz^τ
    G: h * d * d, // G^τ = ∂s^{t1}/∂z^τ for the block's steps
    J: d * d, // ∂s^{t1}/∂s^{t0}
    pi: d * cols, // Π = [P Q R] at the block boundary, and the next one
    piNext: d * cols,
    g0: d, // ∂E_block/∂s^{t0}
    g0Pi: cols, // g0ᵀ Π^{t0}
  };
}

/** Bytes of the block method's sensitivity storage (Π twice and one block of G^τ), the part rtrlMemoryLimit bounds. */
export function blockSensitivityBytes(shape: Pick<Shape, 'm' | 'd' | 'hiddenBias'>): number {
  const { d } = shape;
  return 8 * (2 * d * sensitivityColumns(shape) + d * d * d);
}

/** Bytes of the block method's buffers (blocks of d steps): O(d²(m + d)), independent of the sequence length. */
export function blockRtrlBytes(layout: Layout): number {
  return 8 * Object.values(blockRtrlLengths(layout, layout.shape.d)).reduce((s, n) => s + n, 0);
}

/** FastMatVec's workspace (fast/matvec.ts): the matrix as given, its transpose in column chunks, v and y. */
export function matVecLengths(n: number) {
  return { A: n * n, At: n * n, v: n, y: n };
}
