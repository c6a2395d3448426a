// What `rnn-workbench inspect` costs: the lab's views on one snapshot
// (spectrum, Jacobian norms and flow over every lag, fixed points, PCA), the
// referee, and a replayed step, for growing hidden sizes on the sine task
// (T = 100). Prints one JSON line per size and view. Never asserts.
// Usage: node --import tsx bench/lab.ts [--quick]

import { parseConfig } from '../native-worker/config';
import { inspectSnapshot, refereeSnapshot, replayStep } from '../native-worker/engine/lab/index';
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
  const views: [string, () => unknown][] = [
    ['inspect', () => inspectSnapshot(config, start)],
    ['referee', () => refereeSnapshot(config, start)],
    ['replay', () => replayStep(config, start, 1)],
  ];
  for (const [view, run] of views) {
    const t0 = performance.now();
    run();
    console.log(JSON.stringify({ bench: 'lab', view, d, T: 100, ms: Math.round(performance.now() - t0) }));
  }
}
