// The task factory: one training task per TaskConfig kind (sizes.ts gives
// each one's sizes without building it).

import type { TaskConfig } from '../../common/contract';
import { AddingTask } from './adding';
import { CopyTask } from './copy';
import { CsvTask } from './csv';
import { SineTask } from './sine';
import { unknownTask } from './sizes';
import type { Task } from './task';
import { TextTask } from './text';

export { newSequence, TaskError, type Sequence, type Task, type TaskSizes } from './task';

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
