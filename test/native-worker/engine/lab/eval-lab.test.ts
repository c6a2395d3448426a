// The gradient lab's numbers as every evaluation takes them, against
// independent computations: the flow equals engine/lab/flow's on the same
// weights and probe, the per-step probe loss sums to the probe's loss, the
// copy task's masked steps stay out of both, and the alignment of the
// step's gradient with the exact one is 1 for exact gradients, equals the
// referee's cosine for truncated BPTT and falls below 1 for small k.

import { describe, expect, it } from 'vitest';
import type { MethodConfig, RunConfig } from '../../../../common/contract';
import { parseConfig } from '../../../../native-worker/config';
import { newBatch, putSequence } from '../../../../native-worker/engine/batch';
import { Bptt } from '../../../../native-worker/engine/bptt';
import { Evaluator } from '../../../../native-worker/engine/evaluate';
import { decodeProbe, gradientAlignment, MASKED_CHAR } from '../../../../native-worker/engine/lab/eval-lab';
import { gradientFlow } from '../../../../native-worker/engine/lab/flow';
import { referee } from '../../../../native-worker/engine/lab/referee';
import { lossSpec } from '../../../../native-worker/engine/loss';
import { fromWeights } from '../../../../native-worker/engine/params';
import { Rtrl, rtrlGradient } from '../../../../native-worker/engine/rtrl';
import { newSequence } from '../../../../native-worker/tasks/task';
import { Trainer } from '../../../../native-worker/trainer';
import { makeCase, shape } from '../fixtures';

const sineConfig = (method: MethodConfig, extra: Record<string, unknown> = {}): RunConfig =>
  parseConfig({
    seed: 5,
    task: { kind: 'sine', channels: 2, T: 24, validationSequences: 3 },
    model: { hidden: 6 },
    method,
    training: { steps: 50, lr: 0.01, evalEvery: 1000 },
    ...extra,
  });

/** The probe as the trainer builds it: the first validation sequence. */
function probeOf(trainer: Trainer) {
  const { T, m, n, masked } = trainer.task;
  const probe = newBatch(T, 1, m, n, masked);
  putSequence(probe, 0, trainer.task.validation[0]);
  return probe;
}

describe('the lab numbers of an evaluation', () => {
  it('hold the flow engine/lab/flow computes on the same weights and probe', () => {
    const trainer = new Trainer(sineConfig({ kind: 'bptt' }));
    for (let i = 0; i < 5; i++) trainer.runStep();
    const lab = trainer.evaluate().lab!;
    const p = fromWeights(trainer.layout, trainer.checkpoint().weights, 'float64') as Float64Array;
    const expected = gradientFlow(trainer.layout, 'tanh', p, probeOf(trainer), lossSpec(trainer.config.loss, 2)).flow;
    expect(lab.flow).toHaveLength(24);
    expect(lab.flow).toEqual(expected);
    expect(lab.probeMask).toBeNull();
    expect(lab.probeText).toBeNull();
  });

  it('split the probe loss by time step: finite steps sum to the probe loss, masked steps are NaN', () => {
    const trainer = new Trainer(parseConfig({ seed: 2, task: { kind: 'copy', symbols: 4, length: 3, delay: 2 }, model: { hidden: 5 } }));
    trainer.runStep();
    const e = trainer.evaluate();
    const lab = e.lab!;
    const probe = probeOf(trainer);
    const whole = new Evaluator(trainer.layout, 'tanh', 'float64', probe.T, 1).loss(
      trainer.params,
      probe,
      lossSpec(trainer.config.loss, trainer.task.n),
    );
    const counted = lab.probeLoss.filter((v) => !Number.isNaN(v));
    expect(counted).toHaveLength(3);
    expect(counted.reduce((a, b) => a + b, 0)).toBeCloseTo(whole, 12);
    expect(lab.probeMask).toEqual(Array.from(probe.mask!));
    lab.probeLoss.forEach((v, t) => expect(Number.isNaN(v)).toBe(probe.mask![t] === 0));
    // decoded: masked steps shown as such, the recall steps' targets the pattern read at the start
    const { target, output } = lab.probeText!;
    expect(target).toHaveLength(probe.T);
    expect(output).toHaveLength(probe.T);
    const pattern = [0, 1, 2].map((t) => String(probe.x.subarray(t * 6, t * 6 + 4).indexOf(1))).join('');
    expect(target).toBe(MASKED_CHAR.repeat(6) + pattern);
    expect(output.slice(0, 6)).toBe(MASKED_CHAR.repeat(6));
  });

  it('decode a text probe with the vocabulary', () => {
    const vocabulary = ['a', 'b', 'c'];
    const probe = newBatch(3, 1, 3, 3, false);
    [2, 0, 1].forEach((k, t) => (probe.y[t * 3 + k] = 1));
    const Y = [0.1, 0.9, 0, 5, 1, 2, 0, 0, 3];
    expect(decodeProbe(probe, Y, vocabulary)).toEqual({ target: 'cab', output: 'bac' });
  });
});

describe('the alignment of the gradient a step used with the exact one', () => {
  const { layout, p, batch } = makeCase({ name: 'align', shape: shape(2, 5, 2, false), T: 30, B: 2, act: 'tanh' }, 8);
  const loss = lossSpec({ kind: 'mse', scale: null }, 2);
  const bptt = (k: number | null) => {
    const g = new Float64Array(layout.size);
    new Bptt(layout, 'tanh', 'float64', batch.T, batch.B, k).gradient(p, batch, loss, g);
    return g;
  };

  it('is 1 (cosine and norm ratio, every matrix) for exact RTRL and for BPTT itself', () => {
    const rtrl = new Float64Array(layout.size);
    rtrlGradient(new Rtrl(layout, 'tanh', 'float64'), p, batch, loss, rtrl);
    for (const used of [bptt(null), rtrl]) {
      const a = gradientAlignment(layout, used, bptt(null), 7);
      expect(a.step).toBe(7);
      for (const key of ['all', 'U', 'W', 'V'] as const) {
        expect(a.cosine[key]).toBeCloseTo(1, 10);
        expect(a.normRatio[key]).toBeCloseTo(1, 10);
      }
    }
  });

  it('equals the referee’s cosine for truncated BPTT, below 1 for small k', () => {
    const report = referee(layout, 'tanh', p, batch, loss, { ks: [2] });
    const pair = report.pairs.find((q) => q.a === 'bptt' && q.b === 'tbptt(2)')!;
    const a = gradientAlignment(layout, bptt(2), bptt(null), 1);
    for (const key of ['U', 'W', 'V'] as const) expect(a.cosine[key]).toBeCloseTo(pair.cosine[key]!, 12);
    expect(a.cosine.W).toBeLessThan(0.999);
    expect(a.cosine.V).toBeCloseTo(1, 12); // V's gradient has no recurrence: truncation leaves it exact
  });

  it('is measured by the trainer for tbptt and rtrl-online, at the step just taken, and not for exact methods', () => {
    const tbptt = new Trainer(sineConfig({ kind: 'tbptt', k: 2 }));
    expect(tbptt.evaluate().lab!.alignment).toBeNull(); // no step taken yet
    const start = tbptt.checkpoint();
    tbptt.runStep();
    const a = tbptt.evaluate().lab!.alignment!;
    expect(a.step).toBe(1);
    // the same comparison written out: the step's batch at the weights it started from
    const B = tbptt.config.training.batchSize;
    const { T, m, n } = tbptt.task;
    const batch1 = newBatch(T, B, m, n, false);
    const seq = newSequence(T, m, n, false);
    for (let b = 0; b < B; b++) {
      tbptt.task.trainSequence(b, seq);
      putSequence(batch1, b, seq);
    }
    const p0 = fromWeights(tbptt.layout, start.weights, 'float64') as Float64Array;
    const pair = referee(tbptt.layout, 'tanh', p0, batch1, lossSpec(tbptt.config.loss, n), { ks: [2] }).pairs.find(
      (q) => q.a === 'bptt' && q.b === 'tbptt(2)',
    )!;
    expect(a.cosine.W).toBeCloseTo(pair.cosine.W!, 10);
    expect(a.cosine.W).toBeLessThan(1);

    const online = new Trainer(sineConfig({ kind: 'rtrl-online' }));
    online.runStep();
    online.runStep();
    const o = online.evaluate().lab!.alignment!;
    expect(o.step).toBe(2);
    expect(o.cosine.all).toBeGreaterThan(-1);
    expect(o.cosine.all).toBeLessThan(1);

    const exact = new Trainer(sineConfig({ kind: 'bptt' }));
    exact.runStep();
    expect(exact.evaluate().lab!.alignment).toBeNull();
  });
});
