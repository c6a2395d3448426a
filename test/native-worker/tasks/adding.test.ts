import { describe, expect, it } from 'vitest';
import { createTask } from '../../../native-worker/tasks';
import type { Sequence, Task } from '../../../native-worker/tasks/task';
import { bytesOf, expectOrderIndependent, expectShape, expectTaskError, train } from './helpers';

const config = { kind: 'adding', T: 30, validationSequences: 16 } as const;

/** Checks one sequence by construction; returns the two marked positions. */
function expectAddingSequence(task: Task, seq: Sequence): [number, number] {
  expectShape(task, seq);
  const T = task.T;
  const half = Math.floor(T / 2);
  const marked: number[] = [];
  const problems: string[] = [];
  for (let t = 0; t < T; t++) {
    const value = seq.x[2 * t];
    if (!(value >= 0 && value < 1)) problems.push(`value ${value} at step ${t}`);
    const marker = seq.x[2 * t + 1];
    if (marker === 1) marked.push(t);
    else if (marker !== 0) problems.push(`marker ${marker} at step ${t}`);
  }
  expect(problems).toEqual([]);
  expect(marked).toHaveLength(2);
  expect(marked[0]).toBeLessThan(half);
  expect(marked[1]).toBeGreaterThanOrEqual(half);
  const mask = Array.from(seq.mask as Float64Array);
  expect(mask).toEqual([...Array(T - 1).fill(0), 1]);
  expect(Array.from(seq.y.subarray(0, T - 1))).toEqual(Array(T - 1).fill(0));
  expect(seq.y[T - 1]).toBe(seq.x[2 * marked[0]] + seq.x[2 * marked[1]]);
  return [marked[0], marked[1]];
}

describe('adding task', () => {
  it('has m = 2, n = 1, real targets, masked', () => {
    const task = createTask(config, 5);
    expect([task.kind, task.m, task.n, task.T, task.targets, task.masked, task.vocabulary]).toEqual([
      'adding',
      2,
      1,
      30,
      'real',
      true,
      null,
    ]);
    expect(task.validation).toHaveLength(16);
    expect(task.continues(0)).toBe(false);
    expect(task.continues(3)).toBe(false);
  });

  it('marks one step in each half and asks for the sum of the two marked values at the last step only', () => {
    const task = createTask(config, 5);
    for (let i = 0; i < 100; i++) expectAddingSequence(task, train(task, i));
    for (const v of task.validation) expectAddingSequence(task, v);
  });

  it('places the markers over the whole of each half, also for the shortest T', () => {
    const task = createTask(config, 5);
    const first = new Set<number>();
    const second = new Set<number>();
    for (let i = 0; i < 600; i++) {
      const [a, b] = expectAddingSequence(task, train(task, i));
      first.add(a);
      second.add(b);
    }
    expect(first.size).toBe(15);
    expect(second.size).toBe(15);
    const shortest = createTask({ kind: 'adding', T: 2, validationSequences: 1 }, 5);
    for (let i = 0; i < 5; i++) expect(expectAddingSequence(shortest, train(shortest, i))).toEqual([0, 1]);
  });

  it('is deterministic in (seed, index), differs between seeds, and does not depend on call order', () => {
    const a = createTask(config, 5);
    const b = createTask(config, 5);
    const c = createTask(config, 6);
    expect(bytesOf(train(a, 8))).toBe(bytesOf(train(b, 8)));
    expect(a.validation.map(bytesOf)).toEqual(b.validation.map(bytesOf));
    expect(bytesOf(train(a, 8))).not.toBe(bytesOf(train(c, 8)));
    expect(a.validation.map(bytesOf)).not.toEqual(c.validation.map(bytesOf));
    expectOrderIndependent(() => createTask(config, 5), [0, 1, 99, 2 ** 40]);
  });

  it('draws its held-out sequences from a stream that training does not use', () => {
    const task = createTask(config, 5);
    const held = new Set(task.validation.map((v) => v.x[0]));
    for (let i = 0; i < 2000; i++) expect(held.has(train(task, i).x[0])).toBe(false);
  });

  it('needs T of at least 2', () => {
    expectTaskError(
      () => createTask({ kind: 'adding', T: 1, validationSequences: 1 }, 1),
      'task.T',
      'must be a whole number of at least 2 (got 1)',
    );
    expectTaskError(
      () => createTask({ kind: 'adding', T: 5, validationSequences: 0 }, 1),
      'task.validationSequences',
      'must be a whole number of at least 1 (got 0)',
    );
  });
});
