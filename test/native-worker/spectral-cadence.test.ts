// training.spectralEvery: ρ(W) is estimated at step 1 and every K steps
// after it, and every other step reports NaN (a gap, never a stale value);
// the measured values are the ones an every-step run reports, the weights
// do not depend on the cadence, and the health monitor judges the gain by
// the latest measured ρ instead of taking a NaN for a blown-up W.

import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../common/contract';
import { parseConfig } from '../../native-worker/config';
import { HealthMonitor } from '../../native-worker/engine/health';
import { Trainer, spectralStep } from '../../native-worker/trainer';

const configOf = (spectralEvery: number | undefined, hidden = 8) =>
  parseConfig({
    seed: 5,
    task: { kind: 'sine', channels: 2, T: 8, validationSequences: 1 },
    model: { hidden },
    method: { kind: 'bptt' },
    training: { steps: 23, lr: 0.05, ...(spectralEvery === undefined ? {} : { spectralEvery }) },
  });

function run(spectralEvery: number | undefined, hidden = 8): { steps: StepMetrics[]; trainer: Trainer } {
  const trainer = new Trainer(configOf(spectralEvery, hidden));
  const steps: StepMetrics[] = [];
  while (!trainer.done) steps.push(trainer.runStep());
  return { steps, trainer };
}

const measured = (steps: StepMetrics[]) => steps.filter((s) => !Number.isNaN(s.spectralRadius)).map((s) => s.step);

describe('training.spectralEvery', () => {
  it('defaults to 20 and refuses a negative or fractional cadence, naming the field', () => {
    expect(configOf(undefined).training.spectralEvery).toBe(20);
    expect(() => configOf(-1)).toThrow(/training\.spectralEvery/);
    expect(() => configOf(2.5)).toThrow(/training\.spectralEvery/);
  });

  it('measures exactly steps 1, 1 + K, 1 + 2K, … and reports NaN at the others', () => {
    expect(measured(run(5).steps)).toEqual([1, 6, 11, 16, 21]);
    expect(measured(run(undefined).steps)).toEqual([1, 21]);
    expect(measured(run(1).steps)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(measured(run(0).steps)).toEqual([]);
    expect([1, 2, 6, 7].map((k) => spectralStep(k, 5))).toEqual([true, false, true, false]);
  });

  it('measures what an every-step run measures, and trains the same weights', () => {
    const every = run(1);
    const sparse = run(5);
    for (const s of sparse.steps) {
      if (!Number.isNaN(s.spectralRadius)) expect(s.spectralRadius).toBe(every.steps[s.step - 1].spectralRadius);
    }
    expect(Array.from(sparse.trainer.params)).toEqual(Array.from(every.trainer.params));
  });

  it('keeps the warm-started estimate (d = 32) measuring at the cadence, with finite values', () => {
    const { steps } = run(4, 32);
    expect(measured(steps)).toEqual([1, 5, 9, 13, 17, 21]);
    for (const s of steps) if (!Number.isNaN(s.spectralRadius)) expect(s.spectralRadius).toBeGreaterThan(0);
  });

  it('lets the health monitor hold the last measured ρ(W) across the unmeasured steps', () => {
    const monitor = () => new HealthMonitor({ activation: 'tanh', init: 'orthogonal', gain: 1, lr: 0.01, clipping: false });
    const metrics = (step: number, spectralRadius: number): StepMetrics => ({
      step,
      loss: 1,
      lr: 0.01,
      gradNorm: { U: 1, W: 1, V: 1 },
      weightNorm: { U: 1, W: 1, V: 1 },
      updateRatio: { U: 1e-3, W: 1e-3, V: 1e-3 },
      spectralRadius,
      saturation: 0,
      timestepsPerSec: 1,
      wallMs: step,
    });
    const calm = monitor();
    expect(calm.step(metrics(1, Number.NaN)).state).toBe('healthy');
    expect(calm.step(metrics(2, 0.9)).state).toBe('healthy');
    expect(calm.step(metrics(3, Number.NaN)).state).toBe('healthy');
    const wild = monitor();
    expect(wild.step(metrics(1, 9)).reasons.join()).toMatch(/ρ\(W\) = 9/);
    expect(wild.step(metrics(2, Number.NaN)).reasons.join()).toMatch(/ρ\(W\) = 9/);
  });
});
