// The training worker's resident memory over a long small-model run (sine,
// BPTT, d = 16, the default metrics, evaluations and snapshots): the built
// worker (bin/build-cli.js) forked as the CLI forks it, its progress read and
// dropped by this host, its RSS read from /proc every 50,000 steps. Prints
// one JSON line: RSS after the first 50,000 steps, at the end, the growth
// between them, and the samples. Linux only (/proc). With --sources, the
// worker runs from its TypeScript through tsx instead, as it did before
// the CLI had a build of its own.
//   node --import tsx bench/worker-memory.ts [--quick] [--steps N] [--sources]

import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli } from '../bin/build-cli.js';
import { parseConfig } from '../native-worker/config';
import type { WorkerToHost } from '../common/contract';

const quick = process.argv.includes('--quick');
const at = process.argv.indexOf('--steps');
const STEPS = at > 0 ? Number(process.argv[at + 1]) : quick ? 200_000 : 1_000_000;
const EVERY = 50_000;
const root = join(import.meta.dirname, '..');

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

await buildCli(root);
const config = parseConfig({
  seed: 3,
  task: { kind: 'sine' },
  model: { hidden: 16 },
  method: { kind: 'bptt' },
  training: { steps: STEPS },
});
const sources = process.argv.includes('--sources');
const child = fork(join(root, sources ? 'native-worker/process/index.ts' : 'out/cli/worker.js'), [], {
  execArgv: sources ? ['--import', 'tsx'] : [],
  serialization: 'advanced',
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const samples: { step: number; rssMb: number }[] = [];
const t0 = performance.now();
let next = EVERY;
await new Promise<void>((resolve) => {
  child.on('message', (raw) => {
    const m = raw as WorkerToHost;
    if (m.type === 'ready') child.send({ type: 'start', seq: 1, config, checkpoint: null, progressEveryMs: 100 });
    else if (m.type === 'progress') {
      const last = m.steps.at(-1)?.step ?? 0;
      if (last >= next) {
        samples.push({ step: last, rssMb: rssMb(child.pid!) });
        next += EVERY;
      }
    } else if (m.type === 'ended') {
      samples.push({ step: m.step, rssMb: rssMb(child.pid!) });
      child.kill();
      resolve();
    }
  });
});
const first = samples[0].rssMb;
const end = samples[samples.length - 1].rssMb;
console.log(
  JSON.stringify({
    bench: 'worker-memory',
    steps: STEPS,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
    worker: sources ? 'sources (tsx)' : 'build',
    malloc_arena_max: process.env.MALLOC_ARENA_MAX ?? null,
    rss_mb_at_50k: first,
    rss_mb_at_end: end,
    rss_growth_mb: end - first,
    peak_rss_mb: Math.max(...samples.map((s) => s.rssMb)),
    samples,
  }),
);
