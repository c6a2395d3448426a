// The loss a config gets when it names none: cross-entropy for the tasks
// with one-hot targets, squared error otherwise, the same in the app and
// the CLI because the engine's config parsing decides it.

import { describe, expect, it } from 'vitest';
import { ONE_HOT_TASKS, TASK_KINDS } from '../../common/values';
import { parseConfig } from '../../native-worker/config';
import { createTask } from '../../native-worker/tasks';

const taskOf = (kind: string) => ({ kind, ...(kind === 'csv' ? { csv: 'a,b\n' + '1,2\n'.repeat(400) } : {}) });

describe('the default loss', () => {
  it('is cross-entropy for copy and text, squared error for sine, adding and csv', () => {
    const kinds = Object.fromEntries(TASK_KINDS.map((k) => [k, parseConfig({ task: taskOf(k) }).loss.kind]));
    expect(kinds).toEqual({ sine: 'mse', copy: 'xent', adding: 'mse', text: 'xent', csv: 'mse' });
    expect(parseConfig({}).loss).toEqual({ kind: 'mse', scale: null });
  });

  it('gives way to the loss a config names', () => {
    expect(parseConfig({ task: { kind: 'copy' }, loss: { kind: 'mse' } }).loss.kind).toBe('mse');
    expect(parseConfig({ task: { kind: 'text' }, loss: { kind: 'mse', scale: 2 } }).loss).toEqual({ kind: 'mse', scale: 2 });
  });

  it('names exactly the tasks whose targets are one-hot', () => {
    for (const kind of TASK_KINDS) {
      const task = createTask(parseConfig({ task: taskOf(kind) }).task, 1);
      expect(ONE_HOT_TASKS.includes(kind), kind).toBe(task.targets === 'onehot');
    }
  });
});
