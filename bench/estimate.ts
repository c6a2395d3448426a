// The cost estimate against the real run, for the engine's bench
// workloads: each config is timed the way the new-run form and `train
// --estimate` time it (config:time: a fresh worker times its first steps
// for about a second and projects the run), then trained for real through
// the run manager (a worker process, the database written by main), and
// the two times compared. One JSON line per workload; exit 1 when any
// estimate is more than 2x off.
// Usage: node --import tsx bench/estimate.ts [--quick]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunStatus, RunTiming } from '../common/contract';
import { invoke } from '../main/api/handlers';
import { openWorkbench } from '../main/workbench';

const quick = process.argv.includes('--quick');
/** Each runs for several seconds for real (fewer steps with --quick). */
const workloads = [
  { label: 'sine bptt d=4 (the e2e run)', method: 'bptt', n: 1, d: 4, T: 20, steps: 50_000 },
  { label: 'bptt d=32', method: 'bptt', n: 4, d: 32, T: 50, steps: 4000 },
  { label: 'bptt d=128', method: 'bptt', n: 16, d: 128, T: 100, steps: 400 },
  { label: 'rtrl d=16', method: 'rtrl', n: 4, d: 16, T: 50, steps: 1000 },
  { label: 'rtrl d=32', method: 'rtrl', n: 4, d: 32, T: 50, steps: 100 },
  { label: 'rtrl-fast d=32', method: 'rtrl-fast', n: 4, d: 32, T: 50, steps: 1000 },
  { label: 'rtrl-fast d=64', method: 'rtrl-fast', n: 8, d: 64, T: 20, steps: 1000 },
  { label: 'rtrl-online d=32', method: 'rtrl-online', n: 4, d: 32, T: 50, steps: 60 },
] as const;

const dir = mkdtempSync(join(tmpdir(), 'bench-estimate-'));
const wb = openWorkbench({ databasePath: join(dir, 'wb.db'), maxConcurrent: 1 });
let worst = 1;
try {
  for (const w of workloads) {
    const config = {
      seed: 7,
      task: { kind: 'sine', channels: w.n, T: w.T },
      model: { hidden: w.d },
      method: { kind: w.method },
      training: { steps: quick ? Math.ceil(w.steps / 5) : w.steps },
    };
    const timed = await invoke(wb.handlers, 'config:time', { config });
    if (!timed.ok) throw new Error(`${w.label}: ${timed.error.message}`);
    const est = timed.value as RunTiming;
    const run = wb.manager.create({ config, name: w.label });
    const t0 = performance.now();
    const ended = new Promise<RunStatus>((resolve) =>
      wb.manager.on('changed', (r) => {
        if (r.id === run.id && !['queued', 'running'].includes(r.status)) resolve(r.status);
      }),
    );
    wb.manager.start(run.id);
    const status = await ended;
    const realMs = performance.now() - t0;
    const ratio = est.totalMs / realMs;
    worst = Math.max(worst, ratio, 1 / ratio);
    console.log(
      JSON.stringify({
        bench: 'estimate',
        workload: w.label,
        steps: config.training.steps,
        status,
        estimated_s: +(est.totalMs / 1000).toFixed(2),
        real_s: +(realMs / 1000).toFixed(2),
        ratio: +ratio.toFixed(2),
        timing_s: +((est.setupMs + est.timingMs + est.evalMs) / 1000).toFixed(2),
        steps_timed: est.stepsTimed,
        ms_per_step: +est.msPerStep.toFixed(4),
      }),
    );
  }
} finally {
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify({ bench: 'estimate', worst_ratio: +worst.toFixed(2), within_2x: worst <= 2 }));
process.exitCode = worst <= 2 ? 0 : 1;
