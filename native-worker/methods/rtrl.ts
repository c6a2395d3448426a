// Exact RTRL over the batch (MATH.md, with its two corrections), step by
// step with the full sensitivities [P Q R]: the fast naive path
// (engine/fast/rtrl-naive.ts) in float64, the reference kernels
// (engine/rtrl.ts) in float32. rtrl-online.ts shares its memory and cost.

import type { Activation, Dtype } from '../../common/contract';
import type { Batch } from '../engine/batch';
import { FastRtrl, fastRtrlGradient, fastRtrlLengths } from '../engine/fast/rtrl-naive';
import { workspaceBytes, type KernelKind } from '../engine/fast/workspace-size';
import { ForwardPass } from '../engine/forward';
import type { LossSpec } from '../engine/loss';
import { sensitivityColumns, type Layout } from '../engine/params';
import { Rtrl, rtrlBytes, rtrlGradient } from '../engine/rtrl';
import type { FloatArray } from '../engine/tensor';
import type { MemoryPart } from '../memory';
import { BatchMethod, forwardFlops, statesPart, type MethodCost, type MethodProperties, type MethodSizes } from './gradient';

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

/** The sensitivity tensors of naive RTRL (the fast path's workspace in float64), and the batch's states unless online. */
export function naiveRtrlMemory(sizes: MethodSizes, kernels: KernelKind, lengthField: string, online: boolean): MemoryPart[] {
  const { layout, dtype } = sizes;
  const fast = dtype === 'float64';
  const bytes = fast ? workspaceBytes(fastRtrlLengths(layout), kernels) : rtrlBytes(layout.shape, dtype);
  const parts = [{ what: "RTRL's sensitivity tensors", bytes, fields: ['model.hidden'], wasm: fast && kernels !== 'ts' }];
  if (!online) parts.push(statesPart(sizes, lengthField));
  return parts;
}

/** O(d⁴) per time step: the product W · [P Q R] and the gradient's (Vᵀe)ᵀ [P Q R]. */
export function naiveRtrlCost({ layout, T, B, dtype }: MethodSizes): MethodCost {
  const { d } = layout.shape;
  const cols = sensitivityColumns(layout.shape);
  const forward = forwardFlops(layout.shape);
  const flopsPerStep = T * B * (forward + d * d * cols + d * cols);
  const warnings =
    d < 48
      ? []
      : [
          `exact RTRL costs O(d⁴) per time step: about ${(flopsPerStep / 1e9).toFixed(2)} G multiply-adds per step, ${Math.round(flopsPerStep / (3 * T * B * forward))}× what BPTT needs for the same gradient`,
        ];
  return { workingBytes: rtrlBytes(layout.shape, dtype), flopsPerStep, warnings };
}

export const rtrl: MethodProperties = {
  online: false,
  carriesState: false,
  sensitivityBytes: ({ layout, dtype }) => rtrlBytes(layout.shape, dtype),
  create: ({ layout, T, B, dtype }, _method, act) =>
    dtype === 'float64' ? new FastRtrlMethod(layout, T, B, act) : new ReferenceRtrlMethod(layout, T, B, dtype, act),
  memory: (sizes, kernels, lengthField) => naiveRtrlMemory(sizes, kernels, lengthField, false),
  cost: naiveRtrlCost,
};
