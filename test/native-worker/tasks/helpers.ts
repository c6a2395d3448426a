// Shared checks for the task tests.

import { expect } from 'vitest';
import { newSequence, TaskError, type Sequence, type Task } from '../../../native-worker/tasks/task';

export function train(task: Task, index: number): Sequence {
  const seq = newSequence(task.T, task.m, task.n, task.masked);
  task.trainSequence(index, seq);
  return seq;
}

/** Bit-level identity of two sequences (Float64 bytes compared, so -0 ≠ 0 and NaN = NaN). */
export function bytesOf(seq: Sequence): string {
  const parts = [seq.x, seq.y, seq.mask ?? new Float64Array(0)].map((a) =>
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'),
  );
  return `${seq.T}|${parts.join('|')}`;
}

export function expectShape(task: Task, seq: Sequence): void {
  expect(seq.T).toBe(task.T);
  expect(seq.x.length).toBe(task.T * task.m);
  expect(seq.y.length).toBe(task.T * task.n);
  if (task.masked) expect(seq.mask?.length).toBe(task.T);
  else expect(seq.mask).toBeNull();
}

/** Every row of a T×width block holds exactly one 1 and zeros elsewhere; returns the hot index of each row. */
export function hotIndices(values: Float64Array, T: number, width: number): number[] {
  const hot: number[] = [];
  const problems: string[] = [];
  for (let t = 0; t < T; t++) {
    let index = -1;
    for (let j = 0; j < width; j++) {
      const v = values[t * width + j];
      if (v === 1 && index === -1) index = j;
      else if (v !== 0) problems.push(`row ${t}, entry ${j} is ${v}`);
    }
    if (index === -1) problems.push(`row ${t} has no 1`);
    hot.push(index);
  }
  expect(problems).toEqual([]);
  return hot;
}

/** trainSequence(k) gives the same bytes whether asked in order, in reverse or alone after others. */
export function expectOrderIndependent(make: () => Task, indices: number[]): void {
  const a = make();
  const forward = indices.map((k) => bytesOf(train(a, k)));
  const b = make();
  const backward = [...indices]
    .reverse()
    .map((k) => bytesOf(train(b, k)))
    .reverse();
  expect(backward).toEqual(forward);
  const c = make();
  train(c, 12345);
  train(c, 3);
  expect(bytesOf(train(c, indices[indices.length - 1]))).toBe(forward[forward.length - 1]);
}

/** `run` throws a TaskError for `field` whose message is exactly `field: message` (or matches it). */
export function expectTaskError(run: () => unknown, field: string, message: string | RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a TaskError for ${field}`).toBeInstanceOf(TaskError);
  const taskError = error as TaskError;
  expect(taskError.field).toBe(field);
  if (typeof message === 'string') expect(taskError.message).toBe(`${field}: ${message}`);
  else expect(taskError.message.slice(field.length + 2)).toMatch(message);
}
