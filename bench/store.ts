// Store benchmark: writes a 1,000,000-step run in 500-step progress batches
// (with an eval every 1,000 steps and a snapshot every 50,000), then times
// downsampled reads of 'loss' to 2,000 points. Prints one JSON line per
// measurement. Run: node --import tsx bench/store.ts

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Checkpoint, EvalMetrics, RunConfig, StepMetrics } from '../common/contract';
import { Store } from '../main/store/store';
import { Rng } from '../native-worker/engine/prng';

const STEPS = 1_000_000;
const BATCH = 500;
const EVAL_EVERY = 1_000;
const SNAPSHOT_EVERY = 50_000;
const READS = 20;
const D = 32;
const M = 4;
const N = 4;

const config: RunConfig = {
  seed: 7,
  dtype: 'float64',
  task: { kind: 'sine', channels: M, T: 50, validationSequences: 16 },
  model: { hidden: D, activation: 'tanh', hiddenBias: false, outputBias: false, init: 'uniform', gain: 1 },
  method: { kind: 'rtrl' },
  loss: { kind: 'mse', scale: null },
  training: {
    steps: STEPS,
    batchSize: 1,
    lr: 0.01,
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { kind: 'constant' },
    weightDecay: 0,
    clipNorm: 1,
    clipValue: null,
    evalEvery: EVAL_EVERY,
    snapshotEvery: SNAPSHOT_EVERY,
    spectralEvery: 20,
    divergenceFactor: 1e6,
  },
  rtrlMemoryLimit: 1 << 30,
};

const rng = new Rng(1);

function stepMetrics(step: number): StepMetrics {
  const base = 1 / (1 + step / 20_000);
  const spike = rng.uniform() < 1e-4 ? 5 + 10 * rng.uniform() : 0;
  const per = (scale: number) => ({
    U: scale * (1 + 0.1 * rng.normal()),
    W: scale * (1 + 0.1 * rng.normal()),
    V: scale * (1 + 0.1 * rng.normal()),
  });
  return {
    step,
    loss: base * (1 + 0.2 * rng.normal() ** 2) + spike,
    lr: 0.01,
    gradNorm: per(base),
    weightNorm: per(3),
    updateRatio: per(1e-3),
    spectralRadius: 0.9 + 0.05 * rng.uniform(),
    saturation: 0.1 * rng.uniform(),
    timestepsPerSec: 20_000 + 1_000 * rng.normal(),
    wallMs: step * 2.5,
  };
}

function randomArray(n: number): number[] {
  return Array.from({ length: n }, () => rng.normal());
}

function evalMetrics(step: number): EvalMetrics {
  const hist = () => ({ lo: -1, hi: 1, counts: Array.from({ length: 32 }, () => rng.int(100)), under: 0, over: 0 });
  return {
    step,
    validationLoss: 1 / (1 + step / 20_000),
    histograms: { weights: { U: hist(), W: hist(), V: hist() }, grads: { U: hist(), W: hist(), V: hist() } },
    probe: { T: 50, d: D, n: N, hidden: randomArray(50 * D), outputs: randomArray(50 * N), targets: randomArray(50 * N) },
    eigenvalues: randomArray(2 * D),
  };
}

function checkpoint(step: number): Checkpoint {
  const mat = (rows: number, cols: number) => ({ rows, cols, data: Float64Array.from(randomArray(rows * cols)) });
  const params = D * M + D * D + N * D;
  return {
    step,
    baseLr: 0.01,
    weights: { U: mat(D, M), W: mat(D, D), V: mat(N, D) },
    optimizer: { t: step, buffers: [Float64Array.from(randomArray(params)), Float64Array.from(randomArray(params))] },
    rng: [1, 2, 3, 4, Number.NaN],
    carry: null,
    spectral: null,
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function timeReads(store: Store, runId: number, from: number | undefined, to: number | undefined) {
  const ms: number[] = [];
  let points = 0;
  for (let i = 0; i < READS; i++) {
    const t0 = performance.now();
    points = store.readSeries(runId, 'loss', { from, to, maxPoints: 2_000 }).steps.length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { points, medianMs: +quantile(ms, 0.5).toFixed(2), p95Ms: +quantile(ms, 0.95).toFixed(2) };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-bench-'));
const file = path.join(dir, 'bench.db');
try {
  const store = Store.open(file);
  const run = store.createRun({ name: 'bench', config, appVersion: 'bench' });
  let writeMs = 0;
  for (let first = 1; first <= STEPS; first += BATCH) {
    const steps: StepMetrics[] = [];
    const evals: EvalMetrics[] = [];
    const checkpoints: Checkpoint[] = [];
    for (let s = first; s < first + BATCH; s++) {
      steps.push(stepMetrics(s));
      if (s % EVAL_EVERY === 0) evals.push(evalMetrics(s));
      if (s % SNAPSHOT_EVERY === 0) checkpoints.push(checkpoint(s));
    }
    const t0 = performance.now();
    store.appendProgress(run.id, { steps, evals, checkpoints });
    writeMs += performance.now() - t0;
  }
  console.log(
    JSON.stringify({
      bench: 'store',
      measure: 'write',
      steps: STEPS,
      batch: BATCH,
      seconds: +(writeMs / 1000).toFixed(2),
      stepsPerSec: Math.round(STEPS / (writeMs / 1000)),
    }),
  );
  console.log(JSON.stringify({ bench: 'store', measure: 'readSeries', range: 'full', ...timeReads(store, run.id, undefined, undefined) }));
  console.log(
    JSON.stringify({ bench: 'store', measure: 'readSeries', range: '250000..750000', ...timeReads(store, run.id, 250_000, 750_000) }),
  );
  console.log(
    JSON.stringify({ bench: 'store', measure: 'readSeries', range: '100000..300000', ...timeReads(store, run.id, 100_000, 300_000) }),
  );
  console.log(
    JSON.stringify({ bench: 'store', measure: 'readSeries', range: '400000..403000', ...timeReads(store, run.id, 400_000, 403_000) }),
  );
  const stepsMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    store.readSteps(run.id, 500_000 + i * 10_000, 509_999 + i * 10_000);
    stepsMs.push(performance.now() - t0);
  }
  stepsMs.sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: 'store', measure: 'readSteps', steps: 10_000, medianMs: +quantile(stepsMs, 0.5).toFixed(2) }));
  store.close();
  let t0 = performance.now();
  const reopened = Store.open(file);
  const openMs = performance.now() - t0;
  t0 = performance.now();
  reopened.readSeries(run.id, 'loss', { maxPoints: 2_000 });
  const firstReadMs = performance.now() - t0;
  reopened.close();
  t0 = performance.now();
  Store.open(file, { quickCheck: true }).close();
  const quickCheckOpenMs = performance.now() - t0;
  console.log(
    JSON.stringify({
      bench: 'store',
      measure: 'reopen',
      openMs: +openMs.toFixed(2),
      firstFullReadMs: +firstReadMs.toFixed(2),
      openWithQuickCheckMs: +quickCheckOpenMs.toFixed(0),
    }),
  );
  const bytes = fs.statSync(file).size;
  console.log(
    JSON.stringify({
      bench: 'store',
      measure: 'fileSize',
      bytes,
      mb: +(bytes / 2 ** 20).toFixed(1),
      bytesPerStep: +(bytes / STEPS).toFixed(1),
    }),
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
