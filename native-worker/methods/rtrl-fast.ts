// rtrl-fast: exact RTRL in O(d³) per step on average, Schmidhuber's block
// method (engine/fast/rtrl-block.ts), in float64. In float32 it is naive
// RTRL on the reference kernels (rtrl.ts), which computes the same gradient,
// and costs what that costs.

import type { Activation } from '../../common/contract';
import type { Batch } from '../engine/batch';
import { BlockRtrl, blockRtrlBytes, blockSensitivityBytes, bufferLengths } from '../engine/fast/rtrl-block';
import { workspaceBytes } from '../engine/fast/workspace-size';
import type { LossSpec } from '../engine/loss';
import { sensitivityColumns, type Layout } from '../engine/params';
import type { FloatArray } from '../engine/tensor';
import { BatchMethod, forwardFlops, statesPart, type MethodProperties, type MethodSizes } from './gradient';
import { rtrl } from './rtrl';

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

const blockRtrl: MethodProperties = {
  online: false,
  carriesState: false,
  sensitivityBytes: ({ layout }) => blockSensitivityBytes(layout.shape),
  create: ({ layout, T, B }, _method, act) => new BlockRtrlMethod(layout, T, B, act),
  memory(sizes, kernels, lengthField) {
    const { layout } = sizes;
    const bytes = workspaceBytes(bufferLengths(layout, layout.shape.d), kernels);
    return [
      { what: "the block method's sensitivities and one block of Jacobians", bytes, fields: ['model.hidden'], wasm: kernels !== 'ts' },
      statesPart(sizes, lengthField),
    ];
  },
  // blocks of d steps, per time step on average: BPTT inside the block, the G^τ recurrence (d³), K (d²(m + d)),
  // and (J Π)/d and g0ᵀΠ/d (d·cols each); an upper bound, since a sequence's last block skips its boundary update
  cost({ layout, T, B }) {
    const { m, d } = layout.shape;
    const cols = sensitivityColumns(layout.shape);
    const flopsPerStep = T * B * (3 * forwardFlops(layout.shape) + d * d * d + d * d * (m + d) + 2 * d * cols);
    return { workingBytes: blockRtrlBytes(layout), flopsPerStep, warnings: [] };
  },
};

/** The block method in float64, naive RTRL in float32 (both learn in batches). */
const pick = (sizes: MethodSizes): MethodProperties => (sizes.dtype === 'float64' ? blockRtrl : rtrl);

export const rtrlFast: MethodProperties = {
  online: false,
  carriesState: false,
  sensitivityBytes: (sizes) => pick(sizes).sensitivityBytes(sizes),
  create: (sizes, method, act) => pick(sizes).create(sizes, method, act),
  memory: (sizes, kernels, lengthField) => pick(sizes).memory(sizes, kernels, lengthField),
  cost: (sizes) => pick(sizes).cost(sizes),
};
