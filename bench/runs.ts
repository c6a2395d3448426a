// Many runs at once: 8 runs train concurrently through the run manager (a
// worker process each, the database written by main), then the same
// total work one run at a time. Prints one JSON line per scenario.
// Usage: node --import tsx bench/runs.ts [--quick]

import { availableParallelism } from 'node:os';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunStatus } from '../common/contract';
import { openWorkbench, type Workbench } from '../main/workbench';

const quick = process.argv.includes('--quick');
const RUNS = 8;
const STEPS = quick ? 200 : 2000;
const config = (seed: number) => ({
  seed,
  task: { kind: 'sine', channels: 4, T: 50 },
  model: { hidden: 32 },
  method: { kind: 'bptt' },
  training: { steps: STEPS, evalEvery: 100, snapshotEvery: 500 },
});

function waitAll(wb: Workbench, ids: number[]): Promise<void> {
  const done = new Set<number>();
  const final: RunStatus[] = ['completed', 'failed', 'crashed', 'diverged'];
  return new Promise((resolve) => {
    wb.manager.on('changed', (r) => {
      if (ids.includes(r.id) && final.includes(r.status)) done.add(r.id);
      if (done.size === ids.length) resolve();
    });
  });
}

async function scenario(name: string, maxConcurrent: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runs-'));
  const db = join(dir, 'wb.db');
  const wb = openWorkbench({ databasePath: db, maxConcurrent });
  let batches = 0,
    writeMs = 0,
    worstWriteMs = 0;
  const realAppend = wb.store.appendProgress.bind(wb.store);
  wb.store.appendProgress = (id, batch) => {
    const t = performance.now();
    realAppend(id, batch);
    const ms = performance.now() - t;
    batches++;
    writeMs += ms;
    worstWriteMs = Math.max(worstWriteMs, ms);
  };
  const ids = Array.from({ length: RUNS }, (_, i) => wb.manager.create({ config: config(i + 1), name: null }).id);
  const t0 = performance.now();
  const all = waitAll(wb, ids);
  for (const id of ids) wb.manager.start(id);
  await all;
  const seconds = (performance.now() - t0) / 1000;
  const statuses = ids.map((id) => wb.store.getRun(id)!.status);
  await wb.close();
  console.log(
    JSON.stringify({
      bench: 'runs',
      scenario: name,
      runs: RUNS,
      steps_per_run: STEPS,
      max_concurrent: maxConcurrent,
      cores: availableParallelism(),
      seconds: +seconds.toFixed(2),
      total_steps_per_sec: +((RUNS * STEPS) / seconds).toFixed(1),
      progress_batches: batches,
      mean_batch_write_ms: +(writeMs / batches).toFixed(3),
      worst_batch_write_ms: +worstWriteMs.toFixed(2),
      db_mb: +(statSync(db).size / 2 ** 20).toFixed(1),
      all_completed: statuses.every((s) => s === 'completed'),
    }),
  );
  rmSync(dir, { recursive: true, force: true });
}

await scenario('8 runs at once', RUNS);
await scenario('8 runs one at a time', 1);
