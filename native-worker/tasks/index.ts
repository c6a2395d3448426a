// The task factory: one training task per TaskConfig kind, and each task's
// sizes without building it (for the main process's checks).

import type { TaskConfig } from '../../common/contract';
import { orList, TASK_KINDS } from '../../common/values';
import { AddingTask, addingSizes } from './adding';
import { CopyTask, copySizes } from './copy';
import { CsvTask, csvSizes } from './csv';
import { SineTask, sineSizes } from './sine';
import { TaskError, type Task, type TaskSizes } from './task';
import { TextTask, textSizes } from './text';

export { newSequence, TaskError, type Sequence, type Task, type TaskSizes } from './task';

/**
 * What createTask(config) would give for m, n, T, the held-out count and
 * the data's size, with the same errors for bad settings, but without
 * generating a sequence: cheap even where building the task is not (a long
 * T, a large CSV). A CSV's cells are only read when the task is built.
 */
export function taskSizes(config: TaskConfig): TaskSizes {
  switch (config.kind) {
    case 'sine':
      return sineSizes(config);
    case 'copy':
      return copySizes(config);
    case 'adding':
      return addingSizes(config);
    case 'text':
      return textSizes(config);
    case 'csv':
      return csvSizes(config);
    default:
      return unknownTask(config);
  }
}

/** Build the task of a run; throws TaskError naming the bad field for unusable settings or data. */
export function createTask(config: TaskConfig, seed: number): Task {
  switch (config.kind) {
    case 'sine':
      return new SineTask(config);
    case 'copy':
      return new CopyTask(config, seed);
    case 'adding':
      return new AddingTask(config, seed);
    case 'text':
      return new TextTask(config);
    case 'csv':
      return new CsvTask(config);
    default:
      return unknownTask(config);
  }
}

function unknownTask(config: never): never {
  const kind: unknown = (config as { kind: unknown }).kind;
  throw new TaskError('task.kind', `unknown task ${JSON.stringify(kind)}; expected ${orList(TASK_KINDS)}`);
}
