// Each task's trivial baselines, against the same predictor written out by
// hand: the mean of the training targets (masked steps left out), the
// add-one-smoothed character frequencies, and the value just read. They are
// in the units of the run's validation loss: a Trainer whose output is that
// constant scores exactly the baseline.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../native-worker/config';
import { lossSpec } from '../../../native-worker/engine/loss';
import { createTask } from '../../../native-worker/tasks';
import { taskBaselines } from '../../../native-worker/tasks/baseline';
import { Trainer } from '../../../native-worker/trainer';
import { train } from './helpers';

describe('taskBaselines', () => {
  it('adding: the training targets mean, on the one step that counts (a variance near 1/6)', () => {
    const task = createTask({ kind: 'adding', T: 30, validationSequences: 64 }, 7);
    let sum = 0;
    for (let i = 0; i < 64; i++) sum += train(task, i).y[29];
    const mean = sum / 64;
    const expected = task.validation.reduce((a, s) => a + (s.y[29] - mean) ** 2, 0) / task.validation.length;
    const [b] = taskBaselines(task, lossSpec({ kind: 'mse', scale: null }, 1));
    expect(b.kind).toBe('mean');
    expect(b.loss).toBeCloseTo(expected, 12);
    expect(Math.abs(b.loss - 1 / 6)).toBeLessThan(0.05);
  });

  it('sine: the mean and the last value, summed over the window as E is', () => {
    const task = createTask({ kind: 'sine', channels: 2, T: 10, validationSequences: 3 }, 1);
    const g = 0.5;
    const last = task.validation.reduce((a, s) => a + s.y.reduce((e, y, i) => e + g * (y - s.x[i]) ** 2, 0), 0) / 3;
    const [mean, lastValue] = taskBaselines(task, lossSpec({ kind: 'mse', scale: null }, 2));
    expect(lastValue).toEqual({ kind: 'last', loss: expect.closeTo(last, 12) });
    expect(mean.kind).toBe('mean');
    // predicting about 0 for a sine costs about g·n·T·½ = 5 per window
    expect(mean.loss).toBeGreaterThan(2);
    expect(mean.loss).toBeGreaterThan(10 * lastValue.loss);
  });

  it('text: the character frequencies (add-one smoothed) under cross-entropy', () => {
    const text = 'abracadabra, abracadabra! '.repeat(20);
    const task = createTask({ kind: 'text', text, T: 8, validationFraction: 0.2 }, 1);
    const n = task.n;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < 64; i++) train(task, i).y.forEach((v, j) => (counts[j % n] += v));
    const total = counts.reduce((a, b) => a + b, 0);
    const logp = counts.map((c) => Math.log((c + 1) / (total + n)));
    const expected =
      task.validation.reduce((a, s) => a - s.y.reduce((e, v, j) => e + (v ? v * logp[j % n] : 0), 0), 0) / task.validation.length;
    const b = taskBaselines(task, lossSpec({ kind: 'xent' }, n));
    expect(b).toEqual([{ kind: 'frequencies', loss: expect.closeTo(expected, 10) }]);
  });

  it('is what a trainer whose output is the constant scores on validation', () => {
    const config = parseConfig({
      task: { kind: 'adding', T: 12, validationSequences: 16 },
      model: { hidden: 3, outputBias: true },
      method: { kind: 'bptt' },
    });
    const t = new Trainer(config);
    const task = t.task;
    const [b] = taskBaselines(task, lossSpec(config.loss, task.n));
    let sum = 0;
    for (let i = 0; i < 64; i++) sum += train(task, i).y[11];
    // V = 0 and c = the mean: y^t = mean at every step
    const { V, c } = t.layout;
    t.params.fill(0, V, V + t.layout.shape.n * t.layout.shape.d);
    t.params[c] = sum / 64;
    expect(t.evaluate().validationLoss).toBeCloseTo(b.loss, 12);
  });
});
