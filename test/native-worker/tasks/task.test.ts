import { describe, expect, it } from 'vitest';
import { newSequence, prepareTrainSequence, TaskError } from '../../../native-worker/tasks/task';
import { SineTask } from '../../../native-worker/tasks/sine';
import { AddingTask } from '../../../native-worker/tasks/adding';

describe('newSequence', () => {
  it('allocates T·m inputs, T·n targets and an optional mask of T', () => {
    const s = newSequence(5, 3, 2, true);
    expect([s.T, s.x.length, s.y.length, s.mask?.length]).toEqual([5, 15, 10, 5]);
    expect(newSequence(5, 3, 2, false).mask).toBeNull();
  });
});

describe('TaskError', () => {
  it('names the field and starts its message with it', () => {
    const e = new TaskError('task.csv', 'line 3 is blank');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('TaskError');
    expect(e.field).toBe('task.csv');
    expect(e.message).toBe('task.csv: line 3 is blank');
  });
});

describe('prepareTrainSequence', () => {
  const sine = new SineTask({ kind: 'sine', channels: 2, T: 4, validationSequences: 1 });
  const adding = new AddingTask({ kind: 'adding', T: 4, validationSequences: 1 }, 1);

  it('rejects negative, fractional and unsafe indices', () => {
    for (const index of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => prepareTrainSequence(sine, index, newSequence(4, 2, 2, false))).toThrow(/non-negative integer/);
    }
  });

  it('rejects buffers of the wrong shape', () => {
    expect(() => sine.trainSequence(0, newSequence(5, 2, 2, false))).toThrow(/needs T=4, 8 inputs and 8 targets/);
    expect(() => sine.trainSequence(0, newSequence(4, 3, 2, false))).toThrow(RangeError);
    expect(() => adding.trainSequence(0, newSequence(4, 2, 1, false))).toThrow(/allocate its sequences with a mask/);
  });

  it('sets every weight to 1 when an unmasked task gets a buffer with a mask', () => {
    const seq = newSequence(4, 2, 2, true);
    sine.trainSequence(0, seq);
    expect(Array.from(seq.mask as Float64Array)).toEqual([1, 1, 1, 1]);
  });
});
