// One table of the gradient methods: for each method kind, whether it
// learns online, how its gradient is computed (create), what it keeps in
// memory (memory.ts reads it) and what a step costs (estimate.ts reads it).
// rtrl-fast is the O(d³) block method in float64 and naive RTRL on the
// float32 reference kernels, which compute the same gradient.

import type { Activation, Dtype, MethodConfig, MethodKind, RunConfig } from '../../common/contract';
import { Bptt } from '../engine/bptt';
import { FastBptt, fastBpttLengths } from '../engine/fast/bptt-fast';
import { BlockRtrl, blockRtrlBytes, blockSensitivityBytes, bufferLengths } from '../engine/fast/rtrl-block';
import { FastRtrl, fastRtrlGradient, fastRtrlLengths } from '../engine/fast/rtrl-naive';
import { workspaceBytes, type KernelKind } from '../engine/fast/workspace-size';
import { ForwardPass } from '../engine/forward';
import { sensitivityColumns, type Layout } from '../engine/params';
import { Rtrl, rtrlBytes, rtrlGradient } from '../engine/rtrl';
import type { MemoryPart } from '../memory';
import { BatchMethod, OnlineRtrl, type GradientMethod } from './gradient';

/** The sizes every formula reads: the model, the sequence length and the sequences per step. */
export interface MethodSizes {
  layout: Layout;
  T: number;
  /** Sequences per optimizer step (1 online). */
  B: number;
  dtype: Dtype;
}

export interface MethodCost {
  /** The method's working memory as the estimate shows it. */
  workingBytes: number;
  /** Multiply-adds per optimizer step. */
  flopsPerStep: number;
  warnings: string[];
}

export interface MethodProperties {
  /** Updates the weights after every time step of one sequence per step, carrying its state across steps. */
  online: boolean;
  /** Keeps state from one optimizer step to the next, which checkpoints carry (online RTRL: s and [P Q R]). */
  carriesState: boolean;
  /** Bytes of RTRL's sensitivity tensors, which rtrlMemoryLimit bounds; null for BPTT, which keeps none. */
  sensitivityBytes(sizes: MethodSizes): number | null;
  create(sizes: MethodSizes, method: MethodConfig, act: Activation): GradientMethod;
  /** kernels: the fast kernels' kind; lengthField: the config field that sets T. */
  memory(sizes: MethodSizes, kernels: KernelKind, lengthField: string): MemoryPart[];
  cost(sizes: MethodSizes): MethodCost;
}

/** Multiply-adds of one time step's forward pass. */
function forwardFlops({ m, d, n }: Layout['shape']): number {
  return d * m + d * d + n * d;
}

/** BPTT, or truncated BPTT(k): the fast path in float64, the reference kernels in float32. */
function bptt(truncated: boolean): MethodProperties {
  return {
    online: false,
    carriesState: false,
    sensitivityBytes: () => null,
    create({ layout, T, B, dtype }, method, act) {
      const k = method.kind === 'tbptt' ? method.k : null;
      // float64 runs take the fast path (WebAssembly or its portable twin); float32 the reference kernels
      const pass = dtype === 'float64' ? new FastBptt(layout, act, T, B, k) : new Bptt(layout, act, dtype, T, B, k);
      return new BatchMethod((p, batch, loss, grad) => pass.gradient(p, batch, loss, grad), pass.states, layout.shape.d);
    },
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

/** The batch's states for the saturation metric, kept beside RTRL's sensitivities (a plain forward pass in float32). */
function statesPart({ layout, T, B, dtype }: MethodSizes, lengthField: string): MemoryPart {
  const { d, n } = layout.shape;
  const fast = dtype === 'float64';
  return {
    what: `the states of T·B = ${T * B} time steps`,
    bytes: (fast ? 8 : 4) * ((T + 1) * B * d + (fast ? 0 : T * B * n)),
    fields: [lengthField, 'training.batchSize', 'model.hidden'],
    wasm: false,
  };
}

/** Exact RTRL, step by step: the fast naive path in float64, the reference kernels in float32. */
function naiveRtrl(online: boolean): MethodProperties {
  return {
    online,
    carriesState: online,
    sensitivityBytes: ({ layout, dtype }) => rtrlBytes(layout.shape, dtype),
    create({ layout, T, B, dtype }, _method, act) {
      const { d } = layout.shape;
      if (dtype === 'float64') {
        const rtrl = new FastRtrl(layout, act);
        rtrl.reset();
        if (online)
          return new OnlineRtrl(rtrl, (p, ...rest) => {
            rtrl.load(p);
            return rtrl.step(...rest);
          });
        const rows = new Float64Array((T + 1) * B * d);
        return new BatchMethod((p, batch, loss, grad) => fastRtrlGradient(rtrl, p, batch, loss, grad, rows), rows, d);
      }
      const rtrl = new Rtrl(layout, act, dtype);
      rtrl.reset();
      if (online) return new OnlineRtrl(rtrl, (...args) => rtrl.step(...args));
      // the RTRL loop keeps only the latest state: a plain forward pass gives the batch's, for the saturation metric
      const states = new ForwardPass(layout, act, dtype, T, B);
      return new BatchMethod(
        (p, batch, loss, grad) => {
          const value = rtrlGradient(rtrl, p, batch, loss, grad);
          states.run(p, batch);
          return value;
        },
        states.S,
        d,
      );
    },
    memory(sizes, kernels, lengthField) {
      const { layout, dtype } = sizes;
      const fast = dtype === 'float64';
      const bytes = fast ? workspaceBytes(fastRtrlLengths(layout), kernels) : rtrlBytes(layout.shape, dtype);
      const parts = [{ what: "RTRL's sensitivity tensors", bytes, fields: ['model.hidden'], wasm: fast && kernels !== 'ts' }];
      if (!online) parts.push(statesPart(sizes, lengthField));
      return parts;
    },
    cost({ layout, T, B, dtype }) {
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
    },
  };
}

/** Schmidhuber's block method (engine/fast/rtrl-block.ts), float64 only. */
const blockRtrl: MethodProperties = {
  online: false,
  carriesState: false,
  sensitivityBytes: ({ layout }) => blockSensitivityBytes(layout.shape),
  create({ layout, T, B }, _method, act) {
    const block = new BlockRtrl(layout, act);
    const rows = new Float64Array((T + 1) * B * layout.shape.d);
    return new BatchMethod((p, batch, loss, grad) => block.gradient(p, batch, loss, grad, rows), rows, layout.shape.d);
  },
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

const naive = naiveRtrl(false);

/** Per dtype where the dtype decides the computation (both agree on online): rtrl-fast in float32 runs naive RTRL, and costs what it costs. */
function byDtype(f64: MethodProperties, f32: MethodProperties): MethodProperties {
  const pick = (sizes: MethodSizes) => (sizes.dtype === 'float64' ? f64 : f32);
  return {
    online: f64.online,
    carriesState: f64.carriesState,
    sensitivityBytes: (sizes) => pick(sizes).sensitivityBytes(sizes),
    create: (sizes, method, act) => pick(sizes).create(sizes, method, act),
    memory: (sizes, kernels, lengthField) => pick(sizes).memory(sizes, kernels, lengthField),
    cost: (sizes) => pick(sizes).cost(sizes),
  };
}

export const METHODS: Record<MethodKind, MethodProperties> = {
  rtrl: naive,
  'rtrl-fast': byDtype(blockRtrl, naive),
  'rtrl-online': naiveRtrl(true),
  bptt: bptt(false),
  tbptt: bptt(true),
};

/** Sequences per optimizer step: the batch size, or 1 for an online method. */
export function sequencesPerStep(config: Pick<RunConfig, 'method' | 'training'>): number {
  return METHODS[config.method.kind].online ? 1 : config.training.batchSize;
}
