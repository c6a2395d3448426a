// What a run will cost, before it runs: parameters, working memory and
// multiply-adds per optimizer step, with warnings where the method will be
// slow or close to its memory limit. Shown in the new-run form and by the CLI.
// The method's own figures are methods/table.ts's.

import type { CostEstimate, RunConfig } from '../common/contract';
import { taskSizes, type TaskSizes } from './tasks/sizes';
import { layoutOf } from './engine/params';
import { METHODS, sequencesPerStep } from './methods/table';
import { formatBytes } from './format';

/** From the task's sizes alone (taskSizes): nothing of the task is built. */
export function estimateCost(config: RunConfig, sizes: TaskSizes = taskSizes(config.task)): CostEstimate {
  const { m, n, T } = sizes;
  const { hidden: d, hiddenBias, outputBias } = config.model;
  const layout = layoutOf({ m, d, n, hiddenBias, outputBias });
  const { dtype } = config;
  const method = METHODS[config.method.kind];
  const sizesOf = { layout, T, B: sequencesPerStep(config), dtype };
  const { workingBytes, flopsPerStep, warnings } = method.cost(sizesOf);
  // the bytes the memory check compares with rtrlMemoryLimit (for rtrl-fast less than its working memory)
  const sensitivities = method.sensitivityBytes(sizesOf);
  if (sensitivities !== null && sensitivities > config.rtrlMemoryLimit) {
    warnings.push(
      `the sensitivity tensors need ${formatBytes(sensitivities)}, over rtrlMemoryLimit (${formatBytes(config.rtrlMemoryLimit)}): the run will be refused`,
    );
  } else if (sensitivities !== null && sensitivities > config.rtrlMemoryLimit / 2) {
    warnings.push(`the sensitivity tensors need ${formatBytes(sensitivities)}, more than half of rtrlMemoryLimit`);
  }
  if (dtype === 'float32') {
    warnings.push(
      config.method.kind === 'bptt' || config.method.kind === 'tbptt'
        ? "float32 BPTT sums in single precision on the native kernels, faster than float64 (its gradient within about 1e-4 of float64's, relative); where they are not built it runs on the plain reference kernels, several times slower"
        : 'float32 RTRL runs on the plain reference kernels, several times slower than the fast float64 paths: choose it to see single-precision rounding, not for speed',
    );
  }
  return { m, n, d, parameters: layout.size, workingBytes, flopsPerStep, warnings };
}
