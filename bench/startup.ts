// Start-up of the CLI as a user meets it (bin/rnn-workbench.js, from the
// build that `npm install` leaves, bin/build-cli.js): the wall time of
// `rnn-workbench --version`, and from the command's start to the first
// training step of a small run (sine, BPTT, d = 16: a database opened, a
// worker forked, the step's JSON line printed). Next to them, `node -e 0`:
// what any Node process costs on this machine at this moment. Best of
// seven (the machine is shared). Prints one JSON line.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../bin/build-cli.js';

const quick = process.argv.includes('--quick');
const TRIES = quick ? 3 : 7;
const root = join(import.meta.dirname, '..');
const launcher = join(root, 'bin', 'rnn-workbench.js');

function wallMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
  return performance.now() - t0;
}

/** Milliseconds from the spawn to the first step's line of `train --json`; the run is then stopped (Ctrl-C). */
function firstStepMs(db: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const args = ['train', '--task', 'sine', '--method', 'bptt', '--hidden', '16', '--steps', '1000000', '--db', db, '--json'];
    const child = spawn(process.execPath, [launcher, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    let ms = Number.NaN;
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (Number.isNaN(ms) && text.includes('"type":"step"')) {
        ms = performance.now() - t0;
        child.kill('SIGINT');
      }
    });
    child.on('exit', () => (Number.isNaN(ms) ? reject(new Error('train printed no step')) : resolve(ms)));
  });
}

await buildCli(root);
const dir = mkdtempSync(join(tmpdir(), 'wb-startup-'));
const node: number[] = [],
  version: number[] = [],
  firstStep: number[] = [];
for (let i = 0; i < TRIES; i++) {
  node.push(wallMs(['-e', '0']));
  version.push(wallMs([launcher, '--version']));
  firstStep.push(await firstStepMs(join(dir, `run-${i}.db`)));
}
rmSync(dir, { recursive: true, force: true });
const best = (xs: number[]) => Math.round(Math.min(...xs));
console.log(
  JSON.stringify({
    bench: 'startup',
    tries: TRIES,
    node_empty_ms: best(node),
    version_ms: best(version),
    first_step_ms: best(firstStep),
    load_average: (await import('node:os')).loadavg()[0],
  }),
);
