// What a run needs in memory, before it runs, for every method, dtype and
// kernel kind: the gradient method's buffers (BPTT keeps T·B states and
// their gradients; RTRL its sensitivity tensors; rtrl-fast one block of
// Jacobians; see methods/table.ts), the spectral estimate's, the task's
// data and sequences, the evaluators and the parameters. One check refuses a run that cannot work:
// RTRL's sensitivities over rtrlMemoryLimit, a workspace over WebAssembly's
// memory limit where the fast kernels keep it there (every kind but 'ts'),
// or a total over the machine's memory. The run manager calls it when a
// config is checked or a run created, the trainer before it allocates.

import { totalmem } from 'node:os';
import type { ConfigPath, RunConfig, TaskKind } from '../common/contract';
import { orList } from '../common/values';
import { ConfigError } from './config';
import { matVecLengths } from './engine/buffers';
import { SPECTRAL_PER_STEP } from './engine/metrics/spectral-settings';
import { WASM_MEMORY_LIMIT, workspaceBytes, type KernelKind } from './engine/fast/workspace-size';
import { layoutOf } from './engine/params';
import { formatBytes } from './format';
import { METHODS, sequencesPerStep, type MemoryPart } from './methods/table';
import type { TaskSizes } from './tasks/sizes';

export interface MemoryNeeds {
  parts: MemoryPart[];
  total: number;
  /** RTRL's sensitivity tensors (what rtrlMemoryLimit bounds), or null for BPTT. */
  sensitivities: number | null;
}

/** The field that sets the sequence length: T, or for the copy task its delay (T = 2·length + delay + 1). */
function lengthField(kind: TaskKind): string {
  return kind === 'copy' ? 'task.delay' : 'task.T';
}

export function memoryNeeds(config: RunConfig, sizes: TaskSizes, kernels: KernelKind): MemoryNeeds {
  const { method, model, dtype } = config;
  const { m, n, T, masked, validationSequences: count } = sizes;
  const d = model.hidden;
  const layout = layoutOf({ m, d, n, hiddenBias: model.hiddenBias, outputBias: model.outputBias });
  const B = sequencesPerStep(config);
  const word = dtype === 'float32' ? 4 : 8;
  const T_ = lengthField(config.task.kind);
  const sizesOf = { layout, T, B, dtype };
  const parts = METHODS[method.kind].memory(sizesOf, kernels, T_);
  if (d > SPECTRAL_PER_STEP.exactLimit) {
    parts.push({
      what: 'the spectral-radius estimate',
      bytes: workspaceBytes(matVecLengths(d), kernels),
      fields: ['model.hidden'],
      wasm: kernels !== 'ts',
    });
  }
  const frame = 8 * T * (m + n + (masked ? 1 : 0));
  const countField = config.task.kind === 'text' || config.task.kind === 'csv' ? 'task.validationFraction' : 'task.validationSequences';
  // held-out sequences and their batch; the training batch, its sequence and the probe
  parts.push({ what: `${count} held-out sequences of T = ${T}`, bytes: 2 * count * frame, fields: [countField, T_], wasm: false });
  parts.push({ what: 'the training batch and probe', bytes: (B + 2) * frame, fields: [T_, 'training.batchSize'], wasm: false });
  parts.push({
    what: 'the validation and probe forward passes',
    bytes: word * ((count + 1) * ((T + 1) * d + 2 * T * n)),
    fields: [countField, T_, 'model.hidden'],
    wasm: false,
  });
  if (sizes.dataBytes > 0)
    parts.push({ what: `the ${config.task.kind} data`, bytes: sizes.dataBytes, fields: [`task.${config.task.kind}`], wasm: false });
  // parameters, gradient, its sum, the previous step's copy and up to two optimizer moments
  parts.push({ what: 'parameters, gradients and optimizer state', bytes: 8 * 6 * layout.size, fields: ['model.hidden'], wasm: false });
  return { parts, total: parts.reduce((s, p) => s + p.bytes, 0), sensitivities: METHODS[method.kind].sensitivityBytes(sizesOf) };
}

/** The error for a run whose memory needs cannot be met (see the top of this file), or null. */
export function memoryError(config: RunConfig, sizes: TaskSizes, kernels: KernelKind, physical = totalmem()): ConfigError | null {
  const needs = memoryNeeds(config, sizes, kernels);
  const { method, model } = config;
  const d = model.hidden;
  if (needs.sensitivities !== null && needs.sensitivities > config.rtrlMemoryLimit) {
    return new ConfigError([
      {
        path: 'model.hidden',
        message: `exact RTRL with d = ${d}, m = ${sizes.m} needs ${formatBytes(needs.sensitivities)} for its sensitivity tensors, over the limit of ${formatBytes(config.rtrlMemoryLimit)} (rtrlMemoryLimit); use fewer hidden units, bptt, or a higher limit`,
      },
    ]);
  }
  const over = needs.parts.find((p) => p.wasm && p.bytes > WASM_MEMORY_LIMIT);
  if (over) {
    return new ConfigError([
      {
        path: over.fields[0] as ConfigPath,
        message:
          `${method.kind} with d = ${d}, T = ${sizes.T}, batch ${sequencesPerStep(config)} needs ${formatBytes(over.bytes)} of WebAssembly memory for ${over.what}, ` +
          `over WebAssembly's limit of ${formatBytes(WASM_MEMORY_LIMIT)}; lower ${orList(over.fields)}`,
      },
    ]);
  }
  if (needs.total > physical) {
    const largest = [...needs.parts].sort((a, b) => b.bytes - a.bytes);
    return new ConfigError([
      {
        path: largest[0].fields[0] as ConfigPath,
        message:
          `the run needs ${formatBytes(needs.total)} of memory, more than this machine's ${formatBytes(physical)}: ` +
          `${largest
            .slice(0, 3)
            .map((p) => `${p.what} ${formatBytes(p.bytes)}`)
            .join(', ')}; lower ${orList(largest[0].fields)}`,
      },
    ]);
  }
  return null;
}
