// What a run will cost, before it runs: parameters, working memory and
// multiply-adds per optimizer step, with warnings where the method will be
// slow or close to its memory limit. Shown in the new-run form and by the CLI.

import type { CostEstimate, RunConfig } from '../main/contract';
import { taskSizes, type TaskSizes } from './tasks';
import { layoutOf } from './engine/params';
import { blockRtrlBytes } from './engine/fast/rtrl-block';
import { rtrlBytes } from './engine/rtrl';
import { formatBytes } from './trainer';

/** From the task's sizes alone (taskSizes): nothing of the task is built. */
export function estimateCost(config: RunConfig, sizes: TaskSizes = taskSizes(config.task)): CostEstimate {
  const { m, n, T } = sizes;
  const { hidden: d, hiddenBias, outputBias } = config.model;
  const layout = layoutOf({ m, d, n, hiddenBias, outputBias });
  const method = config.method.kind;
  const B = method === 'rtrl-online' ? 1 : config.training.batchSize;
  const word = config.dtype === 'float32' ? 4 : 8;
  const forward = d * m + d * d + n * d;
  const warnings: string[] = [];
  let workingBytes: number, flopsPerStep: number;
  // rtrl-fast in float32 runs naive RTRL (the reference kernels), and costs what it costs
  if (method === 'rtrl' || method === 'rtrl-online' || (method === 'rtrl-fast' && config.dtype === 'float32')) {
    const cols = d * m + d * d + (hiddenBias ? d : 0);
    workingBytes = rtrlBytes(m, d, hiddenBias, config.dtype);
    flopsPerStep = T * B * (forward + d * d * cols + d * cols);
    const bpttFlops = 3 * T * B * forward;
    if (d >= 48) {
      warnings.push(`exact RTRL costs O(d⁴) per time step: about ${(flopsPerStep / 1e9).toFixed(2)} G multiply-adds per step, ${Math.round(flopsPerStep / bpttFlops)}× what BPTT needs for the same gradient`);
    }
    if (workingBytes > config.rtrlMemoryLimit) {
      warnings.push(`the sensitivity tensors need ${formatBytes(workingBytes)}, over rtrlMemoryLimit (${formatBytes(config.rtrlMemoryLimit)}): the run will be refused`);
    } else if (workingBytes > config.rtrlMemoryLimit / 2) {
      warnings.push(`the sensitivity tensors need ${formatBytes(workingBytes)}, more than half of rtrlMemoryLimit`);
    }
  } else if (method === 'rtrl-fast' && config.dtype === 'float64') {
    // Schmidhuber's block method (engine/fast/rtrl-block.ts), blocks of d steps, per time step on average:
    // BPTT inside the block, the G^τ recurrence (d³), K (d²(m + d)), and (J Π)/d and g0ᵀΠ/d (d·cols each);
    // an upper bound, since a sequence's last block skips its boundary update
    const cols = d * m + d * d + (hiddenBias ? d : 0);
    workingBytes = blockRtrlBytes(layout);
    flopsPerStep = T * B * (3 * forward + d * d * d + d * d * (m + d) + 2 * d * cols);
    if (workingBytes > config.rtrlMemoryLimit) {
      warnings.push(`the sensitivity tensors need ${formatBytes(workingBytes)}, over rtrlMemoryLimit (${formatBytes(config.rtrlMemoryLimit)}): the run will be refused`);
    } else if (workingBytes > config.rtrlMemoryLimit / 2) {
      warnings.push(`the sensitivity tensors need ${formatBytes(workingBytes)}, more than half of rtrlMemoryLimit`);
    }
  } else {
    workingBytes = word * ((T + 1) * B * d + 2 * T * B * (n + d));
    flopsPerStep = 3 * T * B * forward;
  }
  if (config.dtype === 'float32') {
    warnings.push('float32 runs on the plain reference kernels, several times slower than the fast float64 paths: choose it to see single-precision rounding, not for speed');
  }
  return { m, n, d, parameters: layout.size, workingBytes, flopsPerStep, warnings };
}
