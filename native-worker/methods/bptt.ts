// BPTT and truncated BPTT(k) (MATH.md): the fast path (engine/fast/bptt-fast.ts,
// WebAssembly or its portable twin) in float64, the reference kernels
// (engine/bptt.ts) in float32. tBPTT is the same pass with its backward
// recurrence cut every k steps.

import type { Activation } from '../../common/contract';
import type { Batch } from '../engine/batch';
import { Bptt } from '../engine/bptt';
import { FastBptt, fastBpttLengths } from '../engine/fast/bptt-fast';
import { workspaceBytes } from '../engine/fast/workspace-size';
import type { LossSpec } from '../engine/loss';
import type { FloatArray } from '../engine/tensor';
import { BatchMethod, forwardFlops, type MethodProperties, type MethodSizes } from './gradient';

class BpttMethod extends BatchMethod {
  private readonly pass: FastBptt | Bptt;

  /** truncation: k for BPTT(k), null for full BPTT. */
  constructor({ layout, T, B, dtype }: MethodSizes, truncation: number | null, act: Activation) {
    super(layout.shape.d);
    this.pass = dtype === 'float64' ? new FastBptt(layout, act, T, B, truncation) : new Bptt(layout, act, dtype, T, B, truncation);
  }

  protected get states(): FloatArray {
    return this.pass.states;
  }

  protected gradient(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number {
    return this.pass.gradient(params, batch, loss, grad);
  }
}

function bpttProperties(truncated: boolean): MethodProperties {
  return {
    online: false,
    carriesState: false,
    sensitivityBytes: () => null,
    create: (sizes, method, act) => new BpttMethod(sizes, method.kind === 'tbptt' ? method.k : null, act),
    memory({ layout, T, B, dtype }, kernels, lengthField) {
      const { d, n } = layout.shape;
      const word = dtype === 'float32' ? 4 : 8;
      const fast = dtype === 'float64';
      const bytes = fast
        ? workspaceBytes(fastBpttLengths(layout, T, B), kernels)
        : word * ((T + 1) * B * d + 2 * T * B * n + T * B * d + B * d);
      return [
        {
          what: `${truncated ? 'truncated ' : ''}BPTT's states, outputs and their gradients for T·B = ${T * B} time steps`,
          bytes,
          fields: [lengthField, 'training.batchSize', 'model.hidden'],
          wasm: fast && kernels !== 'ts',
        },
      ];
    },
    cost({ layout, T, B, dtype }) {
      const { d, n } = layout.shape;
      const word = dtype === 'float32' ? 4 : 8;
      return {
        workingBytes: word * ((T + 1) * B * d + 2 * T * B * (n + d)),
        flopsPerStep: 3 * T * B * forwardFlops(layout.shape),
        warnings: [],
      };
    },
  };
}

export const bptt = bpttProperties(false);
export const tbptt = bpttProperties(true);
