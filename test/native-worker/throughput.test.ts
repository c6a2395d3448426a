// The time steps per second a step reports are the run's real throughput:
// wall clock over a window, including the time between steps (evaluations,
// messaging), not one step's kernel time. The clock is a fake one.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../native-worker/config';
import { Trainer } from '../../native-worker/trainer';

afterEach(() => vi.restoreAllMocks());

describe('Trainer.runStep timestepsPerSec', () => {
  it('counts the wall time between steps', () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += 0.01));
    const trainer = new Trainer(parseConfig({ seed: 1, task: { kind: 'sine', T: 20 }, model: { hidden: 4 }, training: { steps: 100 } }));
    const steps = [];
    for (let i = 0; i < 50; i++) {
      steps.push(trainer.runStep());
      now += 9; // 9 ms elsewhere: an evaluation, a progress message
    }
    const a = steps[40],
      b = steps[49];
    const msPerStep = (b.wallMs - a.wallMs) / 9;
    expect(msPerStep).toBeGreaterThan(9);
    // 20 time steps a step, one step per msPerStep of wall clock
    // (within 5 %: the window's ends are a step's start and end, wallMs is read in between)
    expect(b.timestepsPerSec / ((20 * 1000) / msPerStep)).toBeGreaterThan(0.95);
    expect(b.timestepsPerSec / ((20 * 1000) / msPerStep)).toBeLessThan(1.05);
  });
});
