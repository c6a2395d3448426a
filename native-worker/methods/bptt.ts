// BPTT and truncated BPTT(k) (MATH.md): the fast path (engine/fast/bptt-fast.ts,
// WebAssembly or its portable twin) in float64; in float32 the same path on
// the native kernels' float32 twins where the process has them, else the
// reference kernels (engine/bptt.ts). tBPTT is the same pass with its
// backward recurrence cut every k steps.

import type { Activation, MethodConfig } from '../../common/contract';
import type { Batch } from '../engine/batch';
import { Bptt } from '../engine/bptt';
import { FastBptt } from '../engine/fast/bptt-fast';
import { float32Available } from '../engine/fast/workspace';
import type { LossSpec } from '../engine/loss';
import type { FloatArray } from '../engine/tensor';
import { BatchMethod, type GradientMethod } from './gradient';
import type { MethodSizes } from './table';

class BpttMethod extends BatchMethod {
  private readonly pass: FastBptt | Bptt;

  /** truncation: k for BPTT(k), null for full BPTT. */
  constructor({ layout, T, B, dtype }: MethodSizes, truncation: number | null, act: Activation) {
    super(layout.shape.d);
    this.pass =
      dtype === 'float64'
        ? new FastBptt(layout, act, T, B, truncation)
        : float32Available()
          ? new FastBptt(layout, act, T, B, truncation, 'native', 'float32')
          : new Bptt(layout, act, dtype, T, B, truncation);
  }

  protected get states(): FloatArray {
    return this.pass.states;
  }

  protected gradient(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    return this.pass.gradient(params, batch, loss, grad);
  }
}

/** BPTT, or BPTT(k) for tbptt. */
export function createBptt(sizes: MethodSizes, method: MethodConfig, act: Activation): GradientMethod {
  return new BpttMethod(sizes, method.kind === 'tbptt' ? method.k : null, act);
}
