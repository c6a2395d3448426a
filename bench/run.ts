// `npm run bench`: every engine workload of the engine and performance
// issues, each in its own process, beside the NumPy reference of the same
// math (../shared/bench/numpy_reference.py) in the same run. Prints one JSON
// line per workload with both figures and their ratio. Never asserts.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const reference = resolve(here, '../../shared/bench/numpy_reference.py');
const quick = process.argv.includes('--quick');

interface Workload {
  method: 'bptt' | 'rtrl' | 'rtrl-online';
  n: number;
  d: number;
  T: number;
  B: number;
  /** Steps for the NumPy reference (about a second of its time). */
  numpySteps: number;
}

const workloads: Workload[] = [
  { method: 'bptt', n: 4, d: 32, T: 50, B: 1, numpySteps: 2000 },
  { method: 'bptt', n: 16, d: 128, T: 100, B: 1, numpySteps: 600 },
  { method: 'bptt', n: 64, d: 512, T: 100, B: 1, numpySteps: 60 },
  { method: 'bptt', n: 16, d: 128, T: 100, B: 32, numpySteps: 60 },
  { method: 'rtrl', n: 4, d: 16, T: 50, B: 1, numpySteps: 600 },
  { method: 'rtrl', n: 4, d: 32, T: 50, B: 1, numpySteps: 200 },
  { method: 'rtrl', n: 8, d: 64, T: 20, B: 1, numpySteps: 60 },
  { method: 'rtrl-online', n: 4, d: 32, T: 50, B: 1, numpySteps: 0 },
];

function numpyAvailable(): string | null {
  if (!existsSync(reference)) return `no NumPy reference at ${reference}`;
  const r = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'python3 with numpy is not installed (apt-get install python3-numpy)';
}

function runNumpy(w: Workload): Record<string, unknown> {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // the reference README: these slow a current NumPy
  delete env.OPENBLAS_L2_SIZE;
  const args = [reference, '--method', w.method, '--n', String(w.n), '--d', String(w.d), '--T', String(w.T), '--B', String(w.B), '--steps', String(quick ? Math.max(2, Math.ceil(w.numpySteps / 10)) : w.numpySteps)];
  const out = execFileSync('python3', args, { env, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function runEngine(w: Workload): Record<string, unknown> {
  const seconds = quick ? 0.3 : w.d >= 512 ? 6 : 3;
  const out = execFileSync(process.execPath, ['--import', 'tsx', resolve(here, 'engine-workload.ts'), JSON.stringify({ ...w, seconds })], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const noNumpy = numpyAvailable();
if (noNumpy) console.error(`bench: NumPy side skipped: ${noNumpy}`);
for (const w of workloads) {
  const engine = runEngine(w);
  const numpy = noNumpy || w.numpySteps === 0 ? null : runNumpy(w);
  const e = engine.timesteps_per_sec as number;
  const np = numpy ? (numpy.timesteps_per_sec as number) : null;
  console.log(JSON.stringify({
    workload: `${w.method} (m=n=${w.n}, d=${w.d}, T=${w.T}, B=${w.B})`,
    engine_timesteps_per_sec: e,
    numpy_timesteps_per_sec: np,
    ratio: np ? +(e / np).toFixed(2) : null,
    engine_updates_per_sec: engine.updates_per_sec,
    engine_peak_rss_mb: engine.peak_rss_mb,
    engine_loss: [engine.first_loss, engine.final_loss],
    numpy_loss: numpy ? [numpy.first_loss, numpy.final_loss] : null,
  }));
}
