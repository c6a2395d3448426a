// What `rnn-workbench inspect` costs: the lab's views on one snapshot
// (spectrum, Jacobian norms and flow over every lag, fixed points, PCA), the
// referee, and a replayed step, for growing hidden sizes on the sine task
// (T = 100), beside the cost estimate the app's size guard reads (limits.ts);
// and what every evaluation pays for the lab's numbers (the
// probe's flow, loss per step and decoding; the alignment of a tbptt and an
// online RTRL step with the exact gradient) beside a whole evaluation and a
// training step. Prints one JSON line per size and view. Never asserts.
// Usage: node --import tsx bench/lab.ts [--quick]

import { parseConfig } from '../native-worker/config';
import { newBatch, putSequence } from '../native-worker/engine/batch';
import { gradientAlignment, probeLab } from '../native-worker/engine/lab/eval-lab';
import { inspectSnapshot, refereeSnapshot, replayStep } from '../native-worker/engine/lab/index';
import { labCost, type LabJobSize } from '../native-worker/engine/lab/limits';
import { taskSizes } from '../native-worker/tasks/sizes';
import { lossSpec } from '../native-worker/engine/loss';
import { createGradientMethod } from '../native-worker/methods/create';
import { Trainer } from '../native-worker/trainer';

const quick = process.argv.includes('--quick');
const sizes = quick ? [16] : [16, 64, 128];

for (const d of sizes) {
  const config = parseConfig({
    seed: 1,
    task: { kind: 'sine', channels: 2, T: 100 },
    model: { hidden: d, init: 'orthogonal', gain: 1.2 },
    method: { kind: 'bptt' },
    training: { steps: 3, batchSize: 4 },
  });
  const trainer = new Trainer(config);
  const start = trainer.checkpoint();
  trainer.runStep();
  const views: [LabJobSize, () => unknown][] = [
    [{ kind: 'inspect' }, () => inspectSnapshot(config, start)],
    [{ kind: 'referee' }, () => refereeSnapshot(config, start)],
    [{ kind: 'replay', steps: 0 }, () => replayStep(config, start, 1)],
  ];
  for (const [job, run] of views) {
    const t0 = performance.now();
    run();
    // the estimate the app's size guard compares with its limit, beside the time it stands for
    const flops = labCost(config, taskSizes(config.task), job);
    console.log(JSON.stringify({ bench: 'lab', view: job.kind, d, T: 100, ms: Math.round(performance.now() - t0), flops }));
  }
}

/** Median milliseconds of `run` over `times` calls. */
function median(times: number, run: () => unknown): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[Math.floor(times / 2)];
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
for (const d of sizes) {
  for (const method of [{ kind: 'tbptt', k: 10 }, { kind: 'rtrl-online' }] as const) {
    if (method.kind === 'rtrl-online' && d > 64) continue; // O(d⁴) per time step: not a size online RTRL is run at
    const config = parseConfig({
      seed: 1,
      task: { kind: 'sine', channels: 2, T: 100 },
      model: { hidden: d },
      method,
      training: { steps: 100, batchSize: method.kind === 'rtrl-online' ? 1 : 4 },
    });
    const trainer = new Trainer(config);
    trainer.runStep(); // warm
    const step = median(15, () => trainer.runStep());
    const { T, m, n } = trainer.task;
    const probe = newBatch(T, 1, m, n, false);
    putSequence(probe, 0, trainer.task.validation[0]);
    const loss = lossSpec(config.loss, n);
    const Y = new Float64Array(T * n);
    const p = Float64Array.from(trainer.params);
    const lab = median(21, () => probeLab(trainer.layout, 'tanh', p, probe, Y, loss, null));
    const B = method.kind === 'rtrl-online' ? 1 : 4;
    const batch = newBatch(T, B, m, n, false);
    for (let b = 0; b < B; b++) putSequence(batch, b, trainer.task.validation[b % trainer.task.validation.length]);
    // what the trainer does: full BPTT on the step's batch (the fast kernels), then the comparison
    const exact = createGradientMethod({ layout: trainer.layout, T, B, dtype: 'float64' }, { kind: 'bptt' }, 'tanh');
    const grad = new Float64Array(p.length);
    const alignment = median(21, () => {
      exact.train(p, batch, loss, grad, () => {}, true);
      return gradientAlignment(trainer.layout, p, grad, 1);
    });
    const evaluation = median(21, () => trainer.evaluate());
    console.log(
      JSON.stringify({
        bench: 'lab',
        view: 'per-evaluation',
        method: method.kind,
        d,
        T,
        probeLabMs: round(lab),
        alignmentMs: round(alignment),
        evaluateMs: round(evaluation),
        stepMs: round(step),
      }),
    );
  }
}
