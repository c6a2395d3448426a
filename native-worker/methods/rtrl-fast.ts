// rtrl-fast: exact RTRL in O(d³) per step on average, Schmidhuber's block
// method (engine/fast/rtrl-block.ts), in float64. In float32 it is naive
// RTRL on the reference kernels (rtrl.ts), which computes the same gradient.

import type { Activation } from '../../common/contract';
import type { Batch } from '../engine/batch';
import { BlockRtrl } from '../engine/fast/rtrl-block';
import type { LossSpec } from '../engine/loss';
import type { Layout } from '../engine/params';
import type { FloatArray } from '../engine/tensor';
import { BatchMethod, type GradientMethod } from './gradient';
import { createRtrl } from './rtrl';
import type { MethodSizes } from './table';

class BlockRtrlMethod extends BatchMethod {
  private readonly block: BlockRtrl;
  protected readonly states: Float64Array;

  constructor(layout: Layout, T: number, B: number, act: Activation) {
    const { d } = layout.shape;
    super(d);
    this.block = new BlockRtrl(layout, act);
    this.states = new Float64Array((T + 1) * B * d);
  }

  protected gradient(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    return this.block.gradient(params, batch, loss, grad, this.states);
  }
}

/** The block method in float64, naive RTRL in float32 (rtrl.ts). */
export function createRtrlFast(sizes: MethodSizes, act: Activation): GradientMethod {
  return sizes.dtype === 'float64' ? new BlockRtrlMethod(sizes.layout, sizes.T, sizes.B, act) : createRtrl(sizes, act);
}
