// `npm run bench`: every benchmark, one after another (so they do not share
// the two cores), each in its own process, its JSON lines passed through.
//   engine    bench/run.ts       the engine beside the NumPy reference and (BPTT) PyTorch
//   store     bench/store.ts     a 1,000,000-step run written and read back downsampled
//   runs      bench/runs.ts      eight runs training at once
//   renderer  bench/renderer.ts  frame rate while a run streams; opening a 1,000,000-step run
//   datasets  bench/dataset-writes.ts  bytes one run on a 47 MB CSV writes to the database
//   check     bench/config-check.ts    the config check's time and memory for large task data
//   export    bench/export.ts    a 2,000,000-step run exported (archive, metrics) under a 256 MB heap
//   lab       bench/lab.ts       `inspect`'s views, the referee and a replay for d = 16, 64, 128
//   sweep     bench/sweep.ts     16 sweep trials at once against one alone; a trial's start-up cost
// `npm run bench -- engine store` runs a subset; `--quick` shortens each.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = {
  engine: 'run.ts',
  store: 'store.ts',
  runs: 'runs.ts',
  renderer: 'renderer.ts',
  datasets: 'dataset-writes.ts',
  check: 'config-check.ts',
  export: 'export.ts',
  lab: 'lab.ts',
  sweep: 'sweep.ts',
} as const;
type Name = keyof typeof all;

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const asked = args.filter((a) => !a.startsWith('--'));
const unknown = asked.filter((a) => !(a in all));
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')} (choose from ${Object.keys(all).join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of (asked.length ? asked : Object.keys(all)) as Name[]) {
  console.error(`bench: ${name}…`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, all[name]), ...flags], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench: ${name} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
