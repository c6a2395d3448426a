import { describe, expect, it } from 'vitest';
import { createTask } from '../../../native-worker/tasks';
import type { Sequence, Task } from '../../../native-worker/tasks/task';
import { bytesOf, expectOrderIndependent, expectShape, expectTaskError, hotIndices, train } from './helpers';

const config = { kind: 'copy', symbols: 8, length: 5, delay: 10, validationSequences: 20 } as const;

/** The symbols of a sequence, read back from its first `length` inputs. */
function pattern(seq: Sequence, task: Task, length: number): number[] {
  return hotIndices(seq.x, task.T, task.m).slice(0, length);
}

function expectCopySequence(task: Task, seq: Sequence, symbols: number, length: number, delay: number): void {
  expectShape(task, seq);
  const blank = symbols;
  const go = symbols + 1;
  const inputs = hotIndices(seq.x, task.T, task.m);
  const shown = inputs.slice(0, length);
  for (const s of shown) expect(s).toBeLessThan(symbols);
  expect(inputs.slice(length, length + delay)).toEqual(Array(delay).fill(blank));
  expect(inputs[length + delay]).toBe(go);
  expect(inputs.slice(length + delay + 1)).toEqual(Array(length).fill(blank));
  const recall = length + delay + 1;
  const mask = seq.mask as Float64Array;
  for (let t = 0; t < task.T; t++) {
    const row = Array.from(seq.y.subarray(t * task.n, (t + 1) * task.n));
    if (t < recall) {
      expect(mask[t]).toBe(0);
      expect(row).toEqual(Array(symbols).fill(0));
    } else {
      expect(mask[t]).toBe(1);
      const target = Array(symbols).fill(0);
      target[shown[t - recall]] = 1;
      expect(row).toEqual(target);
    }
  }
}

describe('copy task', () => {
  it('has T = 2·length + delay + 1, inputs over symbols + 2, one-hot targets over the symbols, masked', () => {
    const task = createTask(config, 3);
    expect([task.kind, task.m, task.n, task.T, task.targets, task.masked, task.vocabulary]).toEqual([
      'copy',
      10,
      8,
      21,
      'onehot',
      true,
      null,
    ]);
    expect(task.validation).toHaveLength(20);
    expect(task.continues(0)).toBe(false);
    expect(task.continues(7)).toBe(false);
  });

  it('shows the symbols, waits through blanks, signals go, and asks for the symbols back only on the recall steps', () => {
    const task = createTask(config, 3);
    for (let i = 0; i < 50; i++) expectCopySequence(task, train(task, i), 8, 5, 10);
    for (const v of task.validation) expectCopySequence(task, v, 8, 5, 10);
  });

  it('handles no delay and a single symbol', () => {
    const task = createTask({ kind: 'copy', symbols: 3, length: 1, delay: 0, validationSequences: 1 }, 3);
    expect(task.T).toBe(3);
    for (let i = 0; i < 10; i++) expectCopySequence(task, train(task, i), 3, 1, 0);
  });

  it('draws every symbol, roughly uniformly', () => {
    const task = createTask(config, 3);
    const counts = Array(8).fill(0);
    for (let i = 0; i < 400; i++) for (const s of pattern(train(task, i), task, 5)) counts[s]++;
    for (const c of counts) expect(c).toBeGreaterThan(150);
  });

  it('is deterministic in (seed, index), differs between seeds, and does not depend on call order', () => {
    const a = createTask(config, 3);
    const b = createTask(config, 3);
    const c = createTask(config, 4);
    expect(bytesOf(train(a, 17))).toBe(bytesOf(train(b, 17)));
    expect(a.validation.map(bytesOf)).toEqual(b.validation.map(bytesOf));
    expect(bytesOf(train(a, 17))).not.toBe(bytesOf(train(c, 17)));
    expect(a.validation.map(bytesOf)).not.toEqual(c.validation.map(bytesOf));
    expect(bytesOf(train(a, 17))).not.toBe(bytesOf(train(a, 18)));
    expectOrderIndependent(() => createTask(config, 3), [0, 1, 2, 40, 2 ** 32 + 5]);
  });

  it('holds out distinct patterns that training never draws, even when they are a large share of all patterns', () => {
    const small = { kind: 'copy', symbols: 2, length: 3, delay: 1, validationSequences: 4 } as const;
    const task = createTask(small, 9);
    const heldOut = new Set(task.validation.map((v) => pattern(v, task, 3).join('')));
    expect(heldOut.size).toBe(4);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const p = pattern(train(task, i), task, 3).join('');
      expect(heldOut.has(p)).toBe(false);
      seen.add(p);
    }
    expect(seen.size).toBe(4);
  });

  it('refuses to hold out more than half of all patterns, and bad settings', () => {
    expectTaskError(
      () => createTask({ kind: 'copy', symbols: 2, length: 3, delay: 1, validationSequences: 5 }, 1),
      'task.validationSequences',
      '5 held-out sequences need at least 10 distinct patterns, but 2 symbols and length 3 give only 8; ' +
        'hold out fewer sequences or use more symbols or a longer length',
    );
    const cases: [Record<string, number>, string, string][] = [
      [{ symbols: 1 }, 'task.symbols', 'must be a whole number of at least 2 (got 1)'],
      [{ length: 0 }, 'task.length', 'must be a whole number of at least 1 (got 0)'],
      [{ delay: -1 }, 'task.delay', 'must be a whole number of at least 0 (got -1)'],
      [{ delay: 0.5 }, 'task.delay', 'must be a whole number of at least 0 (got 0.5)'],
      [{ validationSequences: 0 }, 'task.validationSequences', 'must be a whole number of at least 1 (got 0)'],
    ];
    for (const [change, field, message] of cases) expectTaskError(() => createTask({ ...config, ...change }, 1), field, message);
  });
});
