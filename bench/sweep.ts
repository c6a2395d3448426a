// A sweep on this machine: 16 trials of sine, BPTT, d = 16 through the
// sweep runner, as many at once as there are cores, against one trial
// alone: the aggregate time steps per second (target ≥ 1.8× one trial on
// 2 cores), and the start-up cost of a trial (16 one-step trials: their
// wall time per trial and slot, mostly the worker process starting). One
// JSON line per scenario, then the ratio. --built runs the workers from
// the built bundle (out/main/worker.js, after `npm run build`), as the app
// and an installed CLI do; by default a source checkout's workers load
// the TypeScript sources through tsx.
// Usage: node --import tsx bench/sweep.ts [--quick] [--built]

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcessChannel, defaultWorkerEntry, type WorkerEntry } from '../main/worker-host/node-channels';
import { createSweep, SweepRunner } from '../main/sweeps/runner';
import { openWorkbench } from '../main/workbench';

const quick = process.argv.includes('--quick');
const bundle = join(dirname(fileURLToPath(import.meta.url)), '../out/main/worker.js');
const entry: WorkerEntry = process.argv.includes('--built') ? { file: bundle, typescript: false } : defaultWorkerEntry();
const TRIALS = 16;
const STEPS = quick ? 300 : 20_000;
const T = 50,
  BATCH = 1;
const cores = availableParallelism();
const base = (steps: number) => ({
  task: { kind: 'sine', channels: 4, T },
  model: { hidden: 16 },
  method: { kind: 'bptt' },
  training: { steps, batchSize: BATCH, evalEvery: 500, snapshotEvery: 1000 },
});

interface Outcome {
  seconds: number;
  steps: number;
  completed: number;
  /** Mean of each trial's own training rate (its last step's time steps per second). */
  meanTrialRate: number;
}

async function sweep(trials: number, steps: number, parallel: number): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sweep-'));
  const wb = openWorkbench({ databasePath: join(dir, 'wb.db'), maxConcurrent: parallel, spawn: () => childProcessChannel(entry) });
  const rates = new Map<number, number>();
  wb.manager.on('progress', (p) => {
    const last = p.steps.at(-1);
    if (last) rates.set(p.id, last.timestepsPerSec);
  });
  const id = createSweep(wb.store, { name: 'bench', base: base(steps), grid: { seed: Array.from({ length: trials }, (_, i) => i + 1) } });
  const t0 = performance.now();
  const end = await new SweepRunner(wb, id).run();
  const seconds = (performance.now() - t0) / 1000;
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
  const r = [...rates.values()];
  return { seconds, steps: trials * steps, completed: end.completed, meanTrialRate: r.reduce((a, b) => a + b, 0) / r.length };
}

const worker = entry.typescript ? 'TypeScript sources through tsx' : 'built bundle';
if (!existsSync(entry.file)) {
  console.error(`bench sweep: ${entry.file} does not exist (npm run build first)`);
  process.exit(2);
}
const line = (scenario: string, trials: number, parallel: number, o: Outcome) => {
  const rate = (o.steps * T * BATCH) / o.seconds;
  console.log(
    JSON.stringify({
      bench: 'sweep',
      scenario,
      trials,
      steps_per_trial: o.steps / trials,
      parallel,
      cores,
      worker,
      seconds: +o.seconds.toFixed(2),
      timesteps_per_sec: Math.round(rate),
      mean_trial_timesteps_per_sec: Math.round(o.meanTrialRate),
      completed: o.completed,
    }),
  );
  return rate;
};

const alone = line('one trial alone', 1, 1, await sweep(1, STEPS, 1));
const all = line(`${TRIALS} trials, ${cores} at once`, TRIALS, cores, await sweep(TRIALS, STEPS, cores));
const startup = await sweep(TRIALS, 1, cores);
console.log(
  JSON.stringify({
    bench: 'sweep',
    scenario: `start-up: ${TRIALS} one-step trials, ${cores} at once`,
    worker,
    seconds: +startup.seconds.toFixed(2),
    startup_ms_per_trial: Math.round((startup.seconds * 1000 * cores) / TRIALS),
    completed: startup.completed,
  }),
);
console.log(JSON.stringify({ bench: 'sweep', scenario: 'speed-up', aggregate_over_alone: +(all / alone).toFixed(2), target: 1.8 }));
