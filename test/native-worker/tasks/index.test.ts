import { describe, expect, it } from 'vitest';
import type { TaskConfig } from '../../../common/contract';
import { createTask } from '../../../native-worker/tasks';
import { AddingTask } from '../../../native-worker/tasks/adding';
import { CopyTask } from '../../../native-worker/tasks/copy';
import { CsvTask } from '../../../native-worker/tasks/csv';
import { SineTask } from '../../../native-worker/tasks/sine';
import { TextTask } from '../../../native-worker/tasks/text';
import { bytesOf, expectTaskError, train } from './helpers';

const csv = `a,b\n${Array.from({ length: 50 }, (_, r) => `${Math.sin(r)},${Math.cos(r)}`).join('\n')}\n`;
const configs: [TaskConfig, unknown][] = [
  [{ kind: 'sine', channels: 3, T: 10, validationSequences: 2 }, SineTask],
  [{ kind: 'copy', symbols: 4, length: 3, delay: 5, validationSequences: 4 }, CopyTask],
  [{ kind: 'adding', T: 12, validationSequences: 4 }, AddingTask],
  [{ kind: 'text', text: null, T: 32, validationFraction: 0.1 }, TextTask],
  [{ kind: 'csv', csv, T: 6, normalize: 'zscore', validationFraction: 0.2 }, CsvTask],
];

describe('createTask', () => {
  it('builds the task of each kind', () => {
    for (const [config, type] of configs) {
      const task = createTask(config, 11);
      expect(task).toBeInstanceOf(type as abstract new (...args: never[]) => unknown);
      expect(task.kind).toBe(config.kind);
      expect(task.validation.length).toBeGreaterThan(0);
    }
  });

  it('gives bit-identical data for the same config and seed', () => {
    for (const [config] of configs) {
      const a = createTask(config, 11);
      const b = createTask(config, 11);
      expect(b.validation.map(bytesOf)).toEqual(a.validation.map(bytesOf));
      for (const i of [0, 1, 57, 1e9]) expect(bytesOf(train(b, i))).toBe(bytesOf(train(a, i)));
    }
  });

  it('gives finite values in every sequence', () => {
    for (const [config] of configs) {
      const task = createTask(config, 11);
      for (const seq of [...task.validation, train(task, 0), train(task, 99)]) {
        for (const a of [seq.x, seq.y, seq.mask ?? new Float64Array(0)]) expect(a.every(Number.isFinite)).toBe(true);
      }
    }
  });

  it('names the kind when it is unknown', () => {
    expectTaskError(
      () => createTask({ kind: 'parity' } as unknown as TaskConfig, 1),
      'task.kind',
      'unknown task "parity"; expected sine, copy, adding, text or csv',
    );
  });
});
