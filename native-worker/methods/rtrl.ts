// Exact RTRL over the batch (MATH.md, with its two corrections), step by
// step with the full sensitivities [P Q R]: the fast naive path
// (engine/fast/rtrl-naive.ts) in float64, the reference kernels
// (engine/rtrl.ts) in float32.

import type { Activation, Dtype } from '../../common/contract';
import type { Batch } from '../engine/batch';
import { FastRtrl, fastRtrlGradient } from '../engine/fast/rtrl-naive';
import { ForwardPass } from '../engine/forward';
import type { LossSpec } from '../engine/loss';
import type { Layout } from '../engine/params';
import { Rtrl, rtrlGradient } from '../engine/rtrl';
import type { FloatArray } from '../engine/tensor';
import { BatchMethod, type GradientMethod } from './gradient';
import type { MethodSizes } from './table';

/** float64: the fast naive kernels, which write the batch's states as they go. */
class FastRtrlMethod extends BatchMethod {
  private readonly rtrl: FastRtrl;
  protected readonly states: Float64Array;

  constructor(layout: Layout, T: number, B: number, act: Activation) {
    const { d } = layout.shape;
    super(d);
    this.rtrl = new FastRtrl(layout, act);
    this.rtrl.reset();
    this.states = new Float64Array((T + 1) * B * d);
  }

  protected gradient(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    return fastRtrlGradient(this.rtrl, params, batch, loss, grad, this.states);
  }
}

/** float32: the reference kernels; their loop keeps only the latest state, so a plain forward pass gives the batch's (for the saturation metric). */
class ReferenceRtrlMethod extends BatchMethod {
  private readonly rtrl: Rtrl;
  private readonly forward: ForwardPass;

  constructor(layout: Layout, T: number, B: number, dtype: Dtype, act: Activation) {
    super(layout.shape.d);
    this.rtrl = new Rtrl(layout, act, dtype);
    this.rtrl.reset();
    this.forward = new ForwardPass(layout, act, dtype, T, B);
  }

  protected get states(): FloatArray {
    return this.forward.S;
  }

  protected gradient(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    const value = rtrlGradient(this.rtrl, params, batch, loss, grad);
    this.forward.run(params, batch);
    return value;
  }
}

/** Exact RTRL over the batch: the fast naive path in float64, the reference kernels in float32. */
export function createRtrl({ layout, T, B, dtype }: MethodSizes, act: Activation): GradientMethod {
  return dtype === 'float64' ? new FastRtrlMethod(layout, T, B, act) : new ReferenceRtrlMethod(layout, T, B, dtype, act);
}
