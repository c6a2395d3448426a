// Each task's sizes without building it (for the main process's checks):
// what createTask (index.ts) would give for m, n, T, the held-out count and
// the data's size, with the same errors for bad settings.

import type { TaskConfig } from '../../common/contract';
import { orList, TASK_KINDS } from '../../common/values';
import { addingSizes } from './adding';
import { copySizes } from './copy';
import { csvSizes } from './csv';
import { sineSizes } from './sine';
import { TaskError, type TaskSizes } from './task';
import { textSizes } from './text-sizes';

export type { TaskSizes } from './task';

/**
 * Cheap even where building the task is not (a long T, a large CSV),
 * since no sequence is generated. A CSV's cells are only read when the
 * task is built.
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

export function unknownTask(config: never): never {
  const kind: unknown = (config as { kind: unknown }).kind;
  throw new TaskError('task.kind', `unknown task ${JSON.stringify(kind)}; expected ${orList(TASK_KINDS)}`);
}
