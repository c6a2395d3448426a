// What `rnn-workbench inspect` costs: the lab's views on one snapshot
// (spectrum, Jacobian norms and flow over every lag, fixed points, PCA), the
// referee, and a replayed step, for growing hidden sizes on the sine task
// (T = 100), beside the cost estimate the app's size guard reads (limits.ts).
// Prints one JSON line per size and view. Never asserts.
// Usage: node --import tsx bench/lab.ts [--quick]

import { parseConfig } from '../native-worker/config';
import { inspectSnapshot, refereeSnapshot, replayStep } from '../native-worker/engine/lab/index';
import { labCost, type LabJobSize } from '../native-worker/engine/lab/limits';
import { taskSizes } from '../native-worker/tasks/sizes';
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
