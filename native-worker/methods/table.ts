// One table of the gradient methods: what is known of each method kind
// without making one (online or not, the state it carries, its memory and
// its cost), read by the trainer, the config's checks, checkpoints,
// memory.ts and estimate.ts, in the worker and in the main process alike.
// Each kind's GradientMethod is made by create.ts, from the files beside
// this one. rtrl-fast is the O(d³) block method in float64 and naive RTRL
// on the float32 reference kernels, which compute the same gradient.

import type { Dtype, MethodKind, RunConfig } from '../../common/contract';
import { blockRtrlBytes, blockRtrlLengths, blockSensitivityBytes, fastBpttLengths, fastRtrlLengths, rtrlBytes } from '../engine/buffers';
import { workspaceBytes, type KernelKind } from '../engine/fast/workspace-size';
import { sensitivityColumns, type Layout } from '../engine/params';

/** One part of a run's memory (memory.ts adds the parts every run has). */
export interface MemoryPart {
  what: string;
  bytes: number;
  /** The config fields that make it smaller. */
  fields: string[];
  /** True when it is one WebAssembly memory (a fast-kernel workspace). */
  wasm: boolean;
}

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

/** One method kind's entry in the table. */
export interface MethodProperties {
  /** Updates the weights after every time step of one sequence per step. */
  online: boolean;
  /** Keeps state from one optimizer step to the next, which checkpoints carry (online RTRL: s and [P Q R]). */
  carriesState: boolean;
  /** Bytes of RTRL's sensitivity tensors, which rtrlMemoryLimit bounds; null for BPTT, which keeps none. */
  sensitivityBytes(sizes: MethodSizes): number | null;
  /** kernels: the fast kernels' kind; lengthField: the config field that sets T. */
  memory(sizes: MethodSizes, kernels: KernelKind, lengthField: string): MemoryPart[];
  cost(sizes: MethodSizes): MethodCost;
}

/** Multiply-adds of one time step's forward pass. */
function forwardFlops({ m, d, n }: Layout['shape']): number {
  return d * m + d * d + n * d;
}

/**
 * BPTT, or truncated BPTT(k) (bptt.ts): the fast path in float64, and in
 * float32 where the native kernels are loaded (else the reference kernels,
 * which need less than its workspace: the memory counted is the workspace's).
 */
function bptt(truncated: boolean): MethodProperties {
  return {
    online: false,
    carriesState: false,
    sensitivityBytes: () => null,
    memory({ layout, T, B, dtype }, kernels, lengthField) {
      const bytes = workspaceBytes(fastBpttLengths(layout, T, B), kernels, dtype === 'float32' ? 4 : 8);
      return [
        {
          what: `${truncated ? 'truncated ' : ''}BPTT's states, outputs and their gradients for T·B = ${T * B} time steps`,
          bytes,
          fields: [lengthField, 'training.batchSize', 'model.hidden'],
          wasm: kernels !== 'ts',
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

/** Exact RTRL step by step (rtrl.ts, rtrl-online.ts): the fast naive path in float64, the reference kernels in float32. */
function naiveRtrl(online: boolean): MethodProperties {
  return {
    online,
    carriesState: online,
    sensitivityBytes: ({ layout, dtype }) => rtrlBytes(layout.shape, dtype),
    // the sensitivity tensors (the fast path's workspace in float64), and the batch's states unless online
    memory(sizes, kernels, lengthField) {
      const { layout, dtype } = sizes;
      const fast = dtype === 'float64';
      const bytes = fast ? workspaceBytes(fastRtrlLengths(layout), kernels) : rtrlBytes(layout.shape, dtype);
      const parts = [{ what: "RTRL's sensitivity tensors", bytes, fields: ['model.hidden'], wasm: fast && kernels !== 'ts' }];
      if (!online) parts.push(statesPart(sizes, lengthField));
      return parts;
    },
    // O(d⁴) per time step: the product W · [P Q R] and the gradient's (Vᵀe)ᵀ [P Q R]
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

/** Schmidhuber's block method (rtrl-fast.ts), float64 only. */
const blockRtrl: MethodProperties = {
  online: false,
  carriesState: false,
  sensitivityBytes: ({ layout }) => blockSensitivityBytes(layout.shape),
  memory(sizes, kernels, lengthField) {
    const { layout } = sizes;
    const bytes = workspaceBytes(blockRtrlLengths(layout, layout.shape.d), kernels);
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

const rtrl = naiveRtrl(false);

/** The block method in float64, naive RTRL in float32 (both learn in batches, and agree on what else is known). */
const pick = (sizes: MethodSizes): MethodProperties => (sizes.dtype === 'float64' ? blockRtrl : rtrl);

export const METHODS: Record<MethodKind, MethodProperties> = {
  rtrl,
  'rtrl-fast': {
    online: false,
    carriesState: false,
    sensitivityBytes: (sizes) => pick(sizes).sensitivityBytes(sizes),
    memory: (sizes, kernels, lengthField) => pick(sizes).memory(sizes, kernels, lengthField),
    cost: (sizes) => pick(sizes).cost(sizes),
  },
  'rtrl-online': naiveRtrl(true),
  bptt: bptt(false),
  tbptt: bptt(true),
};

/** Sequences per optimizer step: the batch size, or 1 for an online method. */
export function sequencesPerStep(config: Pick<RunConfig, 'method' | 'training'>): number {
  return METHODS[config.method.kind].online ? 1 : config.training.batchSize;
}
