// The health monitor's rules one at a time, on hand-made metrics: each state
// is named from its numbers, with the worst first, held for a window before
// a better one, and with a remedy in the run's own settings.

import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../../common/contract';
import { HEALTH_LIMITS, HealthMonitor, remedyFor, type HealthContext } from '../../../native-worker/engine/health';

const context: HealthContext = { activation: 'tanh', init: 'orthogonal', gain: 2, lr: 0.02, clipping: false };

function metrics(step: number, o: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step,
    loss: 1,
    lr: 0.02,
    gradNorm: { U: 0.1, W: 0.1, V: 0.1 },
    weightNorm: { U: 1, W: 1, V: 1 },
    updateRatio: { U: 0.01, W: 0.01, V: 0.01 },
    spectralRadius: 0.9,
    saturation: 0.1,
    timestepsPerSec: 1,
    wallMs: 1,
    ...o,
  };
}

describe('HealthMonitor', () => {
  it('calls an ordinary run healthy, with no reasons and no remedy', () => {
    const m = new HealthMonitor(context);
    for (let k = 1; k <= 50; k++)
      expect(m.step(metrics(k, { loss: 1 / k }))).toEqual({ state: 'healthy', step: k, since: 0, reasons: [], remedy: null });
  });

  it('names an exploding run from ρ(W) weighed by the unsaturated units, or from an update larger than the weights', () => {
    const rho = new HealthMonitor(context).step(metrics(1, { spectralRadius: 5, saturation: 0 }));
    expect(rho.state).toBe('exploding');
    expect(rho.reasons[0]).toMatch(/ρ\(W\) = 5 with 100 % of units unsaturated: .* 5× per step/);
    // the same ρ with 60 % of units saturated grows a gradient 2× per step at most
    expect(new HealthMonitor(context).step(metrics(1, { spectralRadius: 5, saturation: 0.6 })).state).toBe('healthy');
    // relu keeps nothing bounded: ρ 1.6 is already too much
    expect(new HealthMonitor({ ...context, activation: 'relu' }).step(metrics(1, { spectralRadius: 1.6 })).reasons[0]).toMatch(/> 1.5/);
    const update = new HealthMonitor(context).step(metrics(1, { updateRatio: { U: 0.1, W: 2.5, V: 0.1, b: Infinity } }));
    expect(update.reasons).toEqual(['the update of W was 2.5× its norm (lr 0.02)']);
    // an infinite ratio (a bias that started at zero) is no finding
    expect(new HealthMonitor(context).step(metrics(1, { updateRatio: { b: Infinity } })).state).toBe('healthy');
  });

  it('names a loss far above its best, gradient norms growing by orders of magnitude, and non-finite numbers', () => {
    const m = new HealthMonitor(context);
    for (let k = 1; k <= 5; k++) m.step(metrics(k, { loss: 2 }));
    // one odd batch is no finding; a loss that stays up is
    expect(m.step(metrics(6, { loss: 1e9 })).state).toBe('healthy');
    expect(m.step(metrics(7, { loss: 1e9 })).state).toBe('healthy');
    expect(m.step(metrics(8, { loss: 2020 })).reasons[0]).toBe('loss 2020 is 1010× its best, 2 (medians of 5 steps)');
    expect(m.lossGrowth).toBe(1010);
    const g = new HealthMonitor(context);
    const W = HEALTH_LIMITS.window;
    for (let k = 1; k <= W; k++) expect(g.step(metrics(k, { gradNorm: { W: 1 } })).state).toBe('healthy');
    for (let k = W + 1; k < 2 * W; k++) g.step(metrics(k, { gradNorm: { W: 1e3 } }));
    expect(g.step(metrics(2 * W, { gradNorm: { W: 1e3 } })).reasons[0]).toMatch(/gradient norm grew 1000× in 5 steps \(1 → 1000\)/);
    expect(new HealthMonitor(context).step(metrics(1, { loss: NaN })).reasons).toContain('the loss is NaN');
  });

  it('names saturation held over a window, for tanh but not for relu', () => {
    const m = new HealthMonitor(context);
    const relu = new HealthMonitor({ ...context, activation: 'relu' });
    const states = [1, 2, 3, 4, 5].map((k) => m.step(metrics(k, { saturation: 0.95 })).state);
    expect(states).toEqual(['healthy', 'healthy', 'healthy', 'healthy', 'saturated']);
    expect(m.report.reasons[0]).toMatch(/^95 % of hidden activations saturated/);
    expect(m.report.remedy).toMatch(/lower the init gain \(2 → 1\)/);
    for (let k = 1; k <= 5; k++) expect(relu.step(metrics(k, { saturation: 0.95 })).state).toBe('healthy');
  });

  it('names vanishing gradients from a small ρ(W)·max f′ (sigmoid counts its f′ ≤ 1/4)', () => {
    expect(new HealthMonitor(context).step(metrics(1, { spectralRadius: 0.2 })).reasons[0]).toMatch(
      /ρ\(W\) = 0.2 < 0.25: .* 5× per step \(1.02e-7 after 10 steps\)/,
    );
    const sigmoid = new HealthMonitor({ ...context, activation: 'sigmoid' }).step(metrics(1, { spectralRadius: 0.9 }));
    expect(sigmoid.state).toBe('vanishing');
    expect(sigmoid.reasons[0]).toMatch(/ρ\(W\)·max f′ = 0.9·0.25 = 0.225/);
    expect(sigmoid.remedy).toMatch(/use tanh instead of sigmoid/);
  });

  it('names a run not learning once its validation loss stays at the baseline after N evaluations, not before', () => {
    const m = new HealthMonitor(context);
    const eig = [0.9, 0];
    expect(m.evaluation(0, 30, 25, eig).state).toBe('healthy');
    for (let k = 1; k < HEALTH_LIMITS.evaluations; k++) expect(m.evaluation(50 * k, 26, 25, eig).state).toBe('healthy');
    const r = m.evaluation(50 * HEALTH_LIMITS.evaluations, 25, 25, eig);
    expect(r.state).toBe('not-learning');
    expect(r.reasons[0]).toBe('validation loss 25 is no better than the trivial baseline 25 after 10 evaluations');
    // the finding stands between evaluations, and the next better evaluation clears it after the window
    expect(m.step(metrics(501)).state).toBe('not-learning');
    m.evaluation(550, 3, 25, eig);
    for (let k = 551; k < 556; k++) m.step(metrics(k));
    expect(m.report.state).toBe('healthy');
    expect(new HealthMonitor(context).evaluation(0, 1, null, [5, 0]).reasons[0]).toMatch(/ρ\(W\) = 5/);
  });

  it('names the worst state first, keeps its start step, and holds it for a window before a better one', () => {
    const m = new HealthMonitor(context);
    for (let k = 1; k <= 4; k++) m.step(metrics(k, { saturation: 0.95 }));
    const both = m.step(metrics(5, { saturation: 0.95, updateRatio: { W: 3 } }));
    expect(both.state).toBe('exploding');
    expect(both.reasons.map((r) => r.slice(0, 14))).toEqual(['the update of ', '95 % of hidden']);
    expect(both.since).toBe(5);
    const held = [6, 7, 8, 9].map((k) => m.step(metrics(k, { saturation: 0.95 })));
    expect(held.map((h) => [h.state, h.since])).toEqual([
      ['exploding', 5],
      ['exploding', 5],
      ['exploding', 5],
      ['exploding', 5],
    ]);
    expect(m.step(metrics(10, { saturation: 0.95 }))).toMatchObject({ state: 'saturated', since: 10 });
  });
});

describe('remedyFor', () => {
  it('speaks of the run own settings', () => {
    expect(remedyFor('exploding', context)).toBe(
      'clip gradients (training.clipNorm 1); lower the learning rate (0.02 → 0.002); lower the init gain (2 → 1)',
    );
    expect(remedyFor('exploding', { ...context, clipping: true, activation: 'relu', gain: 1 })).toBe(
      'lower the learning rate (0.02 → 0.002); use tanh, whose state stays bounded',
    );
    expect(remedyFor('not-learning', context)).toMatch(/^raise the learning rate \(0.02 → 0.06\)/);
    expect(remedyFor('healthy', context)).toBeNull();
  });
});
