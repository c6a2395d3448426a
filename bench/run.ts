// `npm run bench`: every engine workload of the engine and performance
// issues, each in its own process, beside the NumPy reference of the same
// math (numpy_reference.py) and, for BPTT, PyTorch
// (torch_reference.py) in the same run, each side in the workload's dtype.
// The float32 BPTT workloads also report their ratio to the engine's own
// float64 on the same shape (measured in the same run). Prints a line naming
// the machine, then one JSON line per workload with the figures, the ratios,
// the engine's peak RSS and the load average. Never asserts.
//   npm run bench -- engine [--quick] [--repeat=N] [--kernels=native|wasm-fma|wasm|ts] [--only=TEXT]
// It first builds the optional native kernels for this machine when they are
// missing or older than their source (or says why it cannot).

import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { buildNative, nativeStale } from '../native-worker/engine/native/build';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const reference = resolve(here, 'numpy_reference.py');
const quick = process.argv.includes('--quick');
/** The value of --name=value (bench/index.ts passes only arguments that start with --). */
const option = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/** --repeat=N: run each side N times, alternating, and keep each side's best (other load on the machine only slows a run down). */
const repeat = Math.max(1, Number.parseInt(option('repeat') ?? '1', 10) || 1);
/** --kernels=K: the engine's kernels (RNN_WORKBENCH_KERNELS); by default the fastest available. */
const kernels = option('kernels');
/** --only=TEXT: only the workloads whose label contains TEXT, e.g. --only=d=512 or --only=rtrl-fast. */
const only = option('only');

interface Workload {
  method: 'bptt' | 'rtrl' | 'rtrl-fast' | 'rtrl-online';
  /** Every side's (the NumPy and PyTorch ones included). */
  dtype: 'float64' | 'float32';
  n: number;
  d: number;
  T: number;
  B: number;
  /** Steps for the NumPy reference (about a second of its time). */
  numpySteps: number;
}

const BPTT = [
  { n: 4, d: 32, T: 50, B: 1, numpySteps: 2000 },
  { n: 16, d: 128, T: 100, B: 1, numpySteps: 600 },
  { n: 64, d: 512, T: 100, B: 1, numpySteps: 60 },
  { n: 16, d: 128, T: 100, B: 32, numpySteps: 60 },
];

const workloads: Workload[] = [
  ...BPTT.map((w) => ({ method: 'bptt' as const, dtype: 'float64' as const, ...w })),
  ...BPTT.map((w) => ({ method: 'bptt' as const, dtype: 'float32' as const, ...w })),
  ...(
    [
      { method: 'rtrl', n: 4, d: 16, T: 50, B: 1, numpySteps: 600 },
      { method: 'rtrl', n: 4, d: 32, T: 50, B: 1, numpySteps: 200 },
      { method: 'rtrl', n: 8, d: 64, T: 20, B: 1, numpySteps: 60 },
      // exact RTRL in O(d³) per step against the NumPy reference's naive exact RTRL (the same gradient)
      { method: 'rtrl-fast', n: 4, d: 32, T: 50, B: 1, numpySteps: 200 },
      { method: 'rtrl-fast', n: 8, d: 64, T: 20, B: 1, numpySteps: 60 }, // T < d: one block, which is BPTT
      { method: 'rtrl-fast', n: 8, d: 64, T: 200, B: 1, numpySteps: 6 }, // T > d: block boundaries and sensitivity updates
      { method: 'rtrl-online', n: 4, d: 32, T: 50, B: 1, numpySteps: 0 },
    ] as const
  ).map((w) => ({ ...w, dtype: 'float64' as const })),
];

/** The first Python with numpy: the one on PATH, else Debian's (where apt's python3-numpy goes). */
const python = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0);

function numpyAvailable(): string | null {
  return python ? null : 'python3 with numpy is not installed (apt-get install python3-numpy)';
}

function runNumpy(w: Workload): Record<string, unknown> {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; // these slow a current NumPy (OpenBLAS's core detection and L2 size left to it)
  delete env.OPENBLAS_L2_SIZE;
  const method = w.method === 'rtrl-fast' ? 'rtrl' : w.method;
  const args = [
    reference,
    '--method',
    method,
    '--n',
    String(w.n),
    '--d',
    String(w.d),
    '--T',
    String(w.T),
    '--B',
    String(w.B),
    '--steps',
    String(quick ? Math.max(2, Math.ceil(w.numpySteps / 10)) : w.numpySteps),
    '--dtype',
    w.dtype,
  ];
  const out = execFileSync(python!, args, { env, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** The first Python with PyTorch, for the BPTT workloads' PyTorch side (torch_reference.py, beside this file). */
const torchPython = ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);

function torchAvailable(): string | null {
  return torchPython ? null : 'python3 with PyTorch is not installed (apt-get install python3-torch)';
}

function runTorch(w: Workload): Record<string, unknown> {
  const args = [
    resolve(here, 'torch_reference.py'),
    '--numpy-reference',
    reference,
    '--n',
    String(w.n),
    '--d',
    String(w.d),
    '--T',
    String(w.T),
    '--B',
    String(w.B),
    '--steps',
    String(Math.max(2, Math.ceil(w.numpySteps / (quick ? 40 : 4)))),
    '--dtype',
    w.dtype,
  ];
  const out = execFileSync(torchPython!, args, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function runEngine(w: Workload): Record<string, unknown> {
  const seconds = quick ? 0.3 : w.d >= 512 ? 6 : 3;
  // Relaxed SIMD (fused multiply-adds) is on by default in Electron's V8; Node 20 needs the flag.
  const flags = ['--experimental-wasm-relaxed-simd', '--import', 'tsx'];
  const env = kernels ? { ...process.env, RNN_WORKBENCH_KERNELS: kernels } : process.env;
  const out = execFileSync(process.execPath, [...flags, resolve(here, 'engine-workload.ts'), JSON.stringify({ ...w, seconds })], {
    encoding: 'utf8',
    env,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

// the addon the engines will load: RNN_WORKBENCH_NATIVE's file where set (a folder of portable builds is used as it is)
const addon = process.env.RNN_WORKBENCH_NATIVE;
if ((addon === undefined || addon.endsWith('.node')) && nativeStale(addon)) {
  const native = buildNative(addon);
  console.error(
    native.ok
      ? `bench: native kernels built: ${native.path}`
      : `bench: native kernels not built, the engine uses WebAssembly: ${native.reason}`,
  );
}
const noNumpy = numpyAvailable();
if (noNumpy) console.error(`bench: NumPy side skipped: ${noNumpy}`);
const noTorch = torchAvailable();
if (noTorch) console.error(`bench: PyTorch side (BPTT workloads) skipped: ${noTorch}`);
console.log(
  JSON.stringify({
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`,
    node: process.version,
    load_average_start: +loadavg()[0].toFixed(2),
  }),
);
const rate = (r: Record<string, unknown> | null): number => (r ? (r.timesteps_per_sec as number) : -1);
const label = (w: Workload): string => `${w.method}${w.dtype === 'float32' ? ' float32' : ''} (m=n=${w.n}, d=${w.d}, T=${w.T}, B=${w.B})`;
for (const w of workloads.filter((x) => only === undefined || label(x).includes(only))) {
  let engine: Record<string, unknown> | null = null;
  let numpy: Record<string, unknown> | null = null;
  let torch: Record<string, unknown> | null = null;
  /** float32 workloads: the engine's float64 on the same shape, run beside it (each repeat alternating). */
  let float64: Record<string, unknown> | null = null;
  for (let r = 0; r < repeat; r++) {
    const e = runEngine(w);
    if (rate(e) > rate(engine)) engine = e;
    const e64 = w.dtype === 'float32' ? runEngine({ ...w, dtype: 'float64' }) : null;
    if (e64 && rate(e64) > rate(float64)) float64 = e64;
    const np = noNumpy || w.numpySteps === 0 ? null : runNumpy(w);
    if (np && rate(np) > rate(numpy)) numpy = np;
    const pt = noTorch || w.method !== 'bptt' ? null : runTorch(w);
    if (pt && rate(pt) > rate(torch)) torch = pt;
  }
  if (!engine) throw new Error('bench: no engine result');
  const e = engine.timesteps_per_sec as number;
  const np = numpy ? (numpy.timesteps_per_sec as number) : null;
  const pt = torch ? (torch.timesteps_per_sec as number) : null;
  const e64 = float64 ? (float64.timesteps_per_sec as number) : null;
  console.log(
    JSON.stringify({
      workload: label(w),
      dtype: w.dtype,
      engine_timesteps_per_sec: e,
      ...(e64 ? { engine_float64_timesteps_per_sec: e64, ratio_vs_float64: +(e / e64).toFixed(2) } : {}),
      numpy_timesteps_per_sec: np,
      ratio: np ? +(e / np).toFixed(2) : null,
      torch_timesteps_per_sec: pt,
      ratio_vs_torch: pt ? +(e / pt).toFixed(2) : null,
      torch_version: torch ? torch.torch : null,
      engine_cpu_timesteps_per_sec: engine.cpu_timesteps_per_sec,
      engine_updates_per_sec: engine.updates_per_sec,
      engine_peak_rss_mb: engine.peak_rss_mb,
      engine_rss_growth_mb: engine.rss_growth_mb,
      engine_method_working_mb: engine.method_working_mb,
      engine_kernels: engine.kernels,
      engine_loss: [engine.first_loss, engine.final_loss],
      numpy_loss: numpy ? [numpy.first_loss, numpy.final_loss] : null,
      load_average: +loadavg()[0].toFixed(2),
    }),
  );
}
