// One engine workload in its own process (so its peak RSS is its own):
// trains the sine task with plain SGD exactly like the NumPy reference, in
// float64 or float32, and prints one JSON line.
// Usage: node --import tsx bench/engine-workload.ts '<json>'

import { parseConfig } from '../native-worker/config';
import { float32Available, kernelKind } from '../native-worker/engine/fast/workspace';
import { estimateCost } from '../native-worker/estimate';
import { METHODS } from '../native-worker/methods/table';
import { Trainer } from '../native-worker/trainer';
import type { Dtype, MethodConfig } from '../common/contract';

interface Workload {
  method: MethodConfig['kind'];
  dtype: Dtype;
  n: number;
  d: number;
  T: number;
  B: number;
  seconds: number;
}

const w = JSON.parse(process.argv[2]) as Workload;
const config = parseConfig({
  seed: 12345,
  task: { kind: 'sine', channels: w.n, T: w.T, validationSequences: 1 },
  model: { hidden: w.d },
  method: { kind: w.method },
  training: { steps: 1e9, batchSize: w.B, lr: 1e-3, optimizer: { kind: 'sgd' }, evalEvery: 1e9, snapshotEvery: 0 },
  rtrlMemoryLimit: 8 * 1024 ** 3,
  dtype: w.dtype,
});
const trainer = new Trainer(config);

// Warm up the JIT, then time whole steps (forward, gradient, update and the per-step metrics).
const warm = performance.now();
while (performance.now() - warm < Math.min(1000, w.seconds * 250)) trainer.runStep();
const rssAfterWarmUp = process.resourceUsage().maxRSS;
const cpu0 = process.cpuUsage();
let first = Number.NaN,
  last = Number.NaN,
  steps = 0;
const t0 = performance.now();
while (performance.now() - t0 < w.seconds * 1000) {
  last = trainer.runStep().loss;
  if (steps === 0) first = last;
  steps++;
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const updatesPerStep = METHODS[w.method].online ? w.T : 1;
console.log(
  JSON.stringify({
    impl: 'engine',
    method: w.method,
    dtype: w.dtype,
    n: w.n,
    d: w.d,
    T: w.T,
    B: w.B,
    steps,
    seconds: +seconds.toFixed(3),
    timesteps_per_sec: +((steps * w.T * w.B) / seconds).toFixed(1),
    // per second of this process's CPU time: less sensitive to other load on the machine than wall time
    cpu_timesteps_per_sec: +((steps * w.T * w.B) / cpuSeconds).toFixed(1),
    updates_per_sec: +((steps * updatesPerStep) / seconds).toFixed(1),
    first_loss: first,
    final_loss: last,
    peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
    // peak RSS gained while timing (after the warm-up): 0 when memory does not grow with the steps taken
    rss_growth_mb: +((process.resourceUsage().maxRSS - rssAfterWarmUp) / 1024).toFixed(1),
    method_working_mb: +(estimateCost(config).workingBytes / 1024 ** 2).toFixed(2),
    // float32 BPTT runs on the native kernels' float32 twins where they load; the rest of float32 on the reference kernels
    kernels: config.dtype === 'float64' ? kernelKind() : w.method === 'bptt' && float32Available() ? 'native' : 'reference',
  }),
);
