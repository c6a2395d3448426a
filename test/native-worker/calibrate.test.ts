// The cost estimate's calibration: how timed first steps become a whole
// run's time (warm-up paid once, the rest at the steady speed, evaluations
// apart), when the steps count as steady, and the timing of a real config.
// No assertion is on a measured time: samples are made up, and the real
// timing is checked for its shape only.

import { describe, expect, it } from 'vitest';
import { isSteady, projectRun, timeRun, timeSteps, type TimingSamples } from '../../native-worker/calibrate';
import { parseConfig } from '../../native-worker/config';

/** Step ends of `slow` steps of `slowMs` each (the warm-up), then `fast` steps of `fastMs`. */
function ends(slow: number, slowMs: number, fast: number, fastMs: number): number[] {
  const out: number[] = [];
  let t = 0;
  for (let i = 0; i < slow; i++) out.push((t += slowMs));
  for (let i = 0; i < fast; i++) out.push((t += fastMs));
  return out;
}

describe('projectRun', () => {
  it('counts the timed steps as they were and the rest at the speed of the timing’s last quarter', () => {
    // 100 warm-up steps of 10 ms, then 900 of 1 ms: 1,900 ms timed
    const samples: TimingSamples = { setupMs: 50, stepEnds: ends(100, 10, 900, 1), evalMs: 4 };
    const t = projectRun(samples, 11_000, 100);
    expect(t.msPerStep).toBeCloseTo(1, 9);
    expect(t.stepsTimed).toBe(1000);
    expect(t.timingMs).toBe(1900);
    // setup + the timed 1,900 ms + 10,000 more steps at 1 ms + 110 evaluations of 4 ms
    expect(t.totalMs).toBeCloseTo(50 + 1900 + 10_000 + 110 * 4, 6);
    expect(t.startMs).toBe(0);
  });

  it('is the timed steps alone when they were the whole run', () => {
    const t = projectRun({ setupMs: 10, stepEnds: ends(0, 0, 20, 2), evalMs: 1 }, 20, 50);
    expect(t.totalMs).toBeCloseTo(10 + 40 + 1, 9);
  });

  it('takes the mean of all steps when too few were timed for a last quarter', () => {
    const t = projectRun({ setupMs: 0, stepEnds: [900], evalMs: 0 }, 10, 1000);
    expect(t.msPerStep).toBe(900);
    expect(t.totalMs).toBe(9000);
    expect(() => projectRun({ setupMs: 0, stepEnds: [], evalMs: 0 }, 10, 10)).toThrow(/no step was timed/);
  });

  it('would have been 22x off on the old multiply-add model’s case, and is not on its samples', () => {
    // rtrl-fast d = 64 timed as the bench saw it: 50 ms steps for the first 25, then 2 ms
    const t = projectRun({ setupMs: 300, stepEnds: ends(25, 50, 800, 2), evalMs: 20 }, 2000, 50);
    expect(t.msPerStep).toBeCloseTo(2, 9);
    expect(t.totalMs).toBeLessThan(300 + 25 * 50 + 1975 * 2.5 + 40 * 20);
  });
});

describe('isSteady', () => {
  it('holds when the last quarter runs at the speed of the two before it', () => {
    expect(isSteady(ends(0, 0, 400, 1))).toBe(true);
    expect(isSteady(ends(0, 0, 400, 1).map((t, i) => t + (i % 2 ? 0.05 : 0)))).toBe(true);
  });

  it('does not hold during a warm-up, nor on a slow plateau that then drops', () => {
    // still getting faster
    expect(isSteady(ends(0, 0, 400, 1).map((t) => Math.sqrt(t) * 20))).toBe(false);
    // flat for the first 60 % of the time, then ten times faster: the last two quarters differ
    expect(isSteady(ends(300, 2, 1000, 0.2))).toBe(false);
    expect(isSteady([5])).toBe(false);
  });
});

describe('timing a real config', () => {
  it('times every step of a short run, with an evaluation, and projects it', () => {
    const config = parseConfig({ seed: 1, task: { kind: 'sine', T: 10 }, model: { hidden: 3 }, training: { steps: 30, evalEvery: 10 } });
    const s = timeSteps(config);
    expect(s.stepEnds).toHaveLength(30);
    for (let i = 1; i < s.stepEnds.length; i++) expect(s.stepEnds[i]).toBeGreaterThanOrEqual(s.stepEnds[i - 1]);
    expect(s.evalMs).toBeGreaterThan(0);
    const t = timeRun(config);
    expect(t.stepsTimed).toBe(30);
    expect(t.totalMs).toBeGreaterThanOrEqual(t.timingMs);
  });

  it('stops timing a run that diverges where it diverges', () => {
    const config = parseConfig({
      seed: 1,
      task: { kind: 'sine', channels: 2, T: 20 },
      method: { kind: 'bptt' },
      model: { hidden: 32, init: 'orthogonal', gain: 2 },
      training: { steps: 400, lr: 0.02, optimizer: { kind: 'sgd' } },
    });
    const s = timeSteps(config);
    expect(s.stepEnds.length).toBeGreaterThan(0);
    expect(s.stepEnds.length).toBeLessThan(400);
  });
});
