// The one door into the engine for everything outside the worker process:
// main/ (the services, the CLI, serve and the desktop shell) imports the
// engine from here only, and lint refuses any other way in
// (eslint.config.js). It holds what the main process may know: the config's
// parsing and checks, the cost estimate, the engine's version, the kernels'
// description, checkpoints made or checked outside a run, and the gradient
// lab (`inspect`), loaded on demand. Nothing it imports statically loads kernels, holds a task's corpus or trains, so the Electron
// main bundle carries none of that (test/e2e/main-bundle.test.ts).

import type { CostEstimate, RunConfig } from '../common/contract';
import { parseConfig } from './config';
import { checkedKernelKind } from './engine/fast/workspace-size';
import { estimateCost } from './estimate';
import { memoryError } from './memory';
import { taskSizes } from './tasks/sizes';

export { CheckpointError, checkCheckpoint, forkCheckpoint, weightsCheckpoint, type ModelSizes } from './checkpoint';
export { ConfigError, parseConfig } from './config';
export { formatBytes } from './format';
export { TaskError } from './tasks/task';
export { ENGINE_VERSION } from './version';
export { versionText } from './version-text';
export type { InspectReport, RefereeReport, ReplayedStep } from './engine/lab/index';
export { labLimitMessage } from './engine/lab/limits';

/**
 * A config with its defaults filled, its task settings and memory needs
 * checked from sizes (the task's data is never built here), and its cost
 * estimate; throws ConfigError or TaskError naming the field.
 */
export function checkConfig(raw: unknown): { config: RunConfig; estimate: CostEstimate } {
  const config = parseConfig(raw);
  const sizes = taskSizes(config.task);
  const estimate = estimateCost(config, sizes);
  const memory = memoryError(config, sizes, checkedKernelKind());
  if (memory) throw memory;
  return { config, estimate };
}

/**
 * The gradient lab (`rnn-workbench inspect`): spectrum, flow, fixed points,
 * the referee and replay. It trains and loads kernels, so it comes from a
 * chunk of its own, loaded only by the command that uses it.
 */
export function loadLab(): Promise<typeof import('./engine/lab/index')> {
  return import('./engine/lab/index');
}
