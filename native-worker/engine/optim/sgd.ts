// Plain stochastic gradient descent: θ ← θ − lr·g.

import type { NativeKernels } from '../fast/native';
import type { FloatArray } from '../tensor';
import { BufferedOptimizer } from './buffered-optimizer';
import type { WeightDecay } from './weight-decay';

export class Sgd extends BufferedOptimizer {
  /** native: the native kernels where the process computes with them (workspace.ts processNative), else null. */
  constructor(
    size: number,
    decay: WeightDecay,
    private readonly native: Pick<NativeKernels, 'sgd' | 'sgd32'> | null,
  ) {
    super('sgd', size, [], decay);
  }

  protected override update(params: FloatArray, grads: Float64Array, lr: number): void {
    const native = this.native;
    if (native !== null) {
      // the same bits as the loop below, in vector registers
      if (params instanceof Float64Array) native.sgd(params, grads, lr);
      else native.sgd32(params, grads, lr);
      return;
    }
    const n = params.length;
    for (let i = 0; i < n; i++) params[i] -= lr * grads[i];
  }
}
