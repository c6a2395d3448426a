// Shared builders for the store tests: a config, deterministic StepMetrics,
// evals and checkpoints (seeded Rng, never Math.random), and temp files.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Checkpoint, EvalMetrics, RunConfig, StepMetrics } from '../../../common/contract';
import { Rng } from '../../../native-worker/engine/prng';

export const config: RunConfig = {
  seed: 42,
  dtype: 'float64',
  task: { kind: 'sine', channels: 2, T: 20, validationSequences: 4 },
  model: { hidden: 3, activation: 'tanh', hiddenBias: false, outputBias: false, init: 'uniform', gain: 1 },
  method: { kind: 'rtrl' },
  loss: { kind: 'mse', scale: null },
  training: {
    steps: 1000,
    batchSize: 1,
    lr: 0.05,
    optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    schedule: { kind: 'constant' },
    weightDecay: 0,
    clipNorm: null,
    clipValue: null,
    evalEvery: 10,
    snapshotEvery: 100,
    spectralEvery: 20,
    divergenceFactor: 1e6,
  },
  rtrlMemoryLimit: 1 << 28,
};

/** Steps per batch written by crash-writer.ts. */
export const CRASH_STEPS_PER_BATCH = 200;

/** A fresh directory removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-test-'));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** StepMetrics for steps from..from+count-1; the same arguments always give the same values. */
export function makeSteps(from: number, count: number, seed = 1): StepMetrics[] {
  const rng = new Rng(seed * 1_000_003 + from);
  const out: StepMetrics[] = [];
  for (let step = from; step < from + count; step++) {
    out.push({
      step,
      loss: 1 / (1 + step / 100) + 0.01 * rng.normal(),
      lr: 0.05,
      gradNorm: { U: rng.uniform(), W: rng.uniform(), V: rng.uniform() },
      weightNorm: { U: 1 + rng.uniform(), W: 2 + rng.uniform(), V: 3 + rng.uniform() },
      updateRatio: { U: 1e-3 * rng.uniform(), W: 1e-3 * rng.uniform(), V: 1e-3 * rng.uniform() },
      spectralRadius: 0.9 + 0.1 * rng.uniform(),
      saturation: 0.1 * rng.uniform(),
      timestepsPerSec: 10_000 + 100 * rng.normal(),
      wallMs: step * 3,
    });
  }
  return out;
}

export function makeEval(step: number, validationLoss: number): EvalMetrics {
  const T = 3;
  const d = 2;
  const n = 1;
  return {
    step,
    validationLoss,
    histograms: {
      weights: { W: { lo: -1, hi: 1, counts: [1, 2, 3], under: 0, over: 1 } },
      grads: { W: { lo: Number.NaN, hi: Number.POSITIVE_INFINITY, counts: [0, 0, 0], under: 0, over: 0 } },
    },
    probe: { T, d, n, hidden: [0.1, -0, 0.3, 0.4, 0.5, 5e-324], outputs: [1, 2, 3], targets: [1.5, 2.5, Number.NaN] },
    eigenvalues: [0.5, 0.1, 0.5, -0.1],
    health: {
      state: step === 0 ? 'healthy' : 'exploding',
      step,
      since: 0,
      reasons: step === 0 ? [] : ['ρ(W) = 5.29 > 4: a gradient through time can grow 5.29× per step'],
      remedy: step === 0 ? null : 'clip gradients (training.clipNorm 1)',
    },
    baselines: [
      { kind: 'mean', loss: 25.15 },
      { kind: 'last', loss: Number.POSITIVE_INFINITY },
    ],
  };
}

/** A checkpoint full of awkward floats: -0, subnormals, extremes. */
export function makeCheckpoint(step: number, seed = 3): Checkpoint {
  const rng = new Rng(seed);
  const fill = (n: number): Float64Array => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = rng.normal() * 10 ** rng.range(-300, 300);
    return a;
  };
  const W = fill(9);
  W[0] = -0;
  W[1] = 5e-324;
  W[2] = -2.2250738585072e-308;
  W[3] = Number.MAX_VALUE;
  return {
    step,
    baseLr: 0.05,
    weights: {
      U: { rows: 3, cols: 2, data: fill(6) },
      W: { rows: 3, cols: 3, data: W },
      V: { rows: 2, cols: 3, data: Array.from(fill(6)) },
      c: { rows: 2, cols: 1, data: new Float64Array([-0, 0]) },
    },
    optimizer: { t: step, buffers: [fill(23), fill(23), new Float64Array(0)] },
    rng: [1, 0xffffffff, 3, 4, -0.123456789],
    carry: fill(4),
    spectral: { rng: [5, 6, 7, 8, Number.NaN], start: fill(3) },
  };
}

/** The bytes of a float64 array, for bit-for-bit comparison (toEqual treats -0 and 0 alike in places). */
export function bits(values: ArrayLike<number>): string {
  return Buffer.from(Float64Array.from(values).buffer).toString('hex');
}
