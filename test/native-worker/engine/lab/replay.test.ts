// Replay: a step recomputed from the nearest earlier snapshot (or from the
// seed) equals the uninterrupted run's step bit for bit, for every gradient
// method; the δ's and RTRL sensitivities it returns are those of the step's
// first sequence at the weights the step started from.

import { describe, expect, it } from 'vitest';
import type { Checkpoint, MethodConfig, StepMetrics } from '../../../../common/contract';
import { parseConfig } from '../../../../native-worker/config';
import { newBatch, putSequence } from '../../../../native-worker/engine/batch';
import { Evaluator } from '../../../../native-worker/engine/evaluate';
import { replayDifferences, replayStep } from '../../../../native-worker/engine/lab/replay';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { newSequence } from '../../../../native-worker/tasks';
import { Trainer } from '../../../../native-worker/trainer';

const methods: MethodConfig[] = [
  { kind: 'rtrl' },
  { kind: 'rtrl-fast' },
  { kind: 'rtrl-online' },
  { kind: 'bptt' },
  { kind: 'tbptt', k: 3 },
];

const configOf = (method: MethodConfig) =>
  parseConfig({
    seed: 17,
    task: { kind: 'sine', channels: 2, T: 8 },
    model: { hidden: 5, hiddenBias: true },
    method,
    training: { steps: 12, batchSize: method.kind === 'rtrl-online' ? 1 : 3, optimizer: { kind: 'adam' }, lr: 0.01, clipNorm: 0.5 },
  });

/** The uninterrupted run: every step's metrics, a checkpoint every 5 steps (from 0), and the weights before each step. */
function record(method: MethodConfig) {
  const t = new Trainer(configOf(method));
  const steps: StepMetrics[] = [];
  const checkpoints: Checkpoint[] = [t.checkpoint()];
  const weights: Float64Array[] = [];
  while (!t.done) {
    weights.push(Float64Array.from(t.params));
    steps.push(t.runStep());
    if (t.step % 5 === 0) checkpoints.push(t.checkpoint());
  }
  return { steps, checkpoints, weights };
}

describe('replay', () => {
  for (const method of methods) {
    it(`recomputes a step's loss and norms bit for bit (${method.kind})`, () => {
      const config = configOf(method);
      const run = record(method);
      for (const [step, from] of [
        [9, run.checkpoints[1]], // the snapshot at 5
        [11, run.checkpoints[2]], // at 10
        [3, run.checkpoints[0]], // at 0
        [4, null], // from the seed
      ] as const) {
        const r = replayStep(config, from, step);
        expect(r.from).toBe(from?.step ?? null);
        expect(replayDifferences(r.metrics, run.steps[step - 1]), `step ${step}`).toEqual([]);
        expect(Object.is(r.metrics.loss, run.steps[step - 1].loss)).toBe(true);
      }
    });
  }

  it('tells a difference of one bit, naming the field', () => {
    const run = record({ kind: 'bptt' });
    const r = replayStep(configOf({ kind: 'bptt' }), run.checkpoints[1], 7);
    const nudged = { ...r.metrics, gradNorm: { ...r.metrics.gradNorm, W: r.metrics.gradNorm.W! * (1 + Number.EPSILON) } };
    expect(replayDifferences(nudged, run.steps[6])).toEqual(['gradNorm.W']);
    expect(replayDifferences({ ...r.metrics, loss: -0 }, { ...run.steps[6], loss: 0 })).toEqual(['loss']);
  });

  it('refuses a snapshot that is not before the step', () => {
    const run = record({ kind: 'bptt' });
    expect(() => replayStep(configOf({ kind: 'bptt' }), run.checkpoints[2], 10)).toThrow(/snapshot at step 10 is not before step 10/);
    expect(() => replayStep(configOf({ kind: 'bptt' }), null, 0)).toThrow(/step 0 is not a step number/);
  });

  it('returns the step’s δz and ∂s^T/∂U, ∂s^T/∂W, matching finite differences of the states', () => {
    const config = configOf({ kind: 'rtrl' });
    const run = record({ kind: 'rtrl' });
    const step = 8;
    const r = replayStep(config, run.checkpoints[1], step);
    const before = run.weights[step - 1];
    const trainer = new Trainer(config);
    const { m, d, n } = trainer.layout.shape;
    const T = trainer.task.T;
    expect([r.deltas.rows, r.deltas.cols]).toEqual([T, d]);
    expect([r.sensitivityU.rows, r.sensitivityU.cols, r.sensitivityW.cols]).toEqual([d, d * m, d * d]);
    // the step's first sequence (index (step − 1)·B)
    const seq = newSequence(T, m, n, trainer.task.masked);
    trainer.task.trainSequence((step - 1) * 3, seq);
    const one = newBatch(T, 1, m, n, trainer.task.masked);
    putSequence(one, 0, seq);
    const ev = new Evaluator(trainer.layout, 'tanh', 'float64', T, 1);
    const lastState = (p: Float64Array) => {
      ev.forward.run(p, one);
      return ev.forward.S.slice(T * d, (T + 1) * d);
    };
    const h = 1e-6;
    const check = (offset: number, cols: number, got: number[]) => {
      for (let q = 0; q < cols; q++) {
        const p = Float64Array.from(before);
        p[offset + q] += h;
        const plus = lastState(p);
        p[offset + q] -= 2 * h;
        const minus = lastState(p);
        for (let l = 0; l < d; l++) expect(got[l * cols + q]).toBeCloseTo((plus[l] - minus[l]) / (2 * h), 7);
      }
    };
    check(trainer.layout.U, d * m, r.sensitivityU.data);
    check(trainer.layout.W, d * d, r.sensitivityW.data);
    const loss = lossSpec(config.loss, n);
    const lossAt = (p: Float64Array) => ev.loss(p, one, loss);
    // ∂E/∂b_i = Σ_t δz_i^t: the bias gradient by differences equals the δ's summed over time
    for (let i = 0; i < d; i++) {
      const p = Float64Array.from(before);
      p[trainer.layout.b + i] += h;
      const plus = lossAt(p);
      p[trainer.layout.b + i] -= 2 * h;
      const minus = lossAt(p);
      let sum = 0;
      for (let t = 0; t < T; t++) sum += r.deltas.data[t * d + i];
      expect(sum).toBeCloseTo((plus - minus) / (2 * h), 7);
    }
  });
});
