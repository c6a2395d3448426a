// Loss without gradients: validation, the probe, and finite differences.

import type { Activation, Dtype } from '../../common/contract';
import type { Batch } from './batch';
import { ForwardPass } from './forward';
import { lossRows, type LossSpec } from './loss';
import type { Layout } from './params';
import { allocate, type FloatArray } from './tensor';

export class Evaluator {
  readonly forward: ForwardPass;
  private readonly scratch: FloatArray;

  constructor(
    readonly layout: Layout,
    act: Activation,
    dtype: Dtype,
    readonly T: number,
    readonly B: number,
  ) {
    this.forward = new ForwardPass(layout, act, dtype, T, B);
    this.scratch = allocate(dtype, T * B * layout.shape.n);
  }

  /** Mean over the batch's sequences of E (MATH.md). */
  loss(p: FloatArray, batch: Batch, spec: LossSpec): number {
    this.forward.run(p, batch);
    const { T, B } = this;
    return lossRows(spec, this.layout.shape.n, T * B, this.forward.Y, 0, batch.y, 0, batch.mask, 0, 1 / B, this.scratch, 0);
  }
}
