// A finished run of many steps written straight into a store, for timing
// how fast the renderer opens a long run: every step's metrics (a decaying,
// noisy loss with rare spikes), an evaluation every `evalEvery` steps with
// histograms and a probe, and a final snapshot. Seeded, so every bench
// writes the same run.

import type { Checkpoint, EvalMetrics, Histogram, RunConfig, StepMetrics } from '../common/contract';
import type { Store } from '../main/store/store';
import { parseConfig } from '../native-worker/engine-api';
import { Rng } from '../native-worker/engine/prng';

const BATCH = 10_000;

export interface LongRunOptions {
  steps: number;
  evalEvery: number;
  hidden: number;
  seed?: number;
  lr?: number;
  name?: string;
}

function histogram(rng: Rng, scale: number): Histogram {
  const counts = new Array<number>(64).fill(0);
  for (let i = 0; i < 256; i++) counts[Math.max(0, Math.min(63, Math.floor(32 + rng.normal() * 8)))]++;
  return { lo: -scale, hi: scale, counts, under: 0, over: 0 };
}

function evaluation(rng: Rng, step: number, d: number, T: number, n: number): EvalMetrics {
  const m = { U: histogram(rng, 1), W: histogram(rng, 1), V: histogram(rng, 1) };
  const g = { U: histogram(rng, 0.25), W: histogram(rng, 0.25), V: histogram(rng, 0.25) };
  const hidden = Array.from({ length: T * d }, () => Math.tanh(rng.normal()));
  const targets = Array.from({ length: T * n }, (_, i) => Math.sin(i / 3));
  return {
    step,
    validationLoss: 1 / (1 + step / 5000) + 0.01 * rng.uniform(),
    histograms: { weights: m, grads: g },
    probe: { T, d, n, hidden, outputs: targets.map((v) => v + 0.1 * rng.normal()), targets },
    eigenvalues: Array.from({ length: 2 * d }, () => (0.9 * rng.normal()) / 2),
  };
}

function stepMetrics(rng: Rng, step: number, lr: number): StepMetrics {
  const base = 1 / (1 + step / 5000);
  const spike = rng.uniform() < 1e-4 ? 20 : 1;
  const per = () => ({ U: Math.exp(rng.normal() - 1), W: Math.exp(rng.normal() - 1), V: Math.exp(rng.normal()) });
  return {
    step,
    loss: base * (1 + 0.3 * rng.normal() ** 2) * spike,
    lr,
    gradNorm: per(),
    weightNorm: { U: 3, W: 5, V: 2 },
    updateRatio: per(),
    spectralRadius: 0.9 + 0.05 * Math.sin(step / 1e4),
    saturation: 0.02 * rng.uniform(),
    timestepsPerSec: 40_000 + 1000 * rng.normal(),
    wallMs: step * 0.5,
  };
}

/** Writes the run and gives its id and its config. */
export function writeLongRun(store: Store, o: LongRunOptions): { id: number; config: RunConfig } {
  const config = parseConfig({
    model: { hidden: o.hidden },
    method: { kind: 'bptt' },
    training: { steps: o.steps, evalEvery: o.evalEvery, snapshotEvery: 0, lr: o.lr ?? 0.003 },
  });
  const run = store.createRun({
    name: o.name ?? `long run (${o.steps.toLocaleString('en-US')} steps)`,
    config,
    appVersion: 'bench',
    tags: ['bench'],
  });
  const rng = new Rng(o.seed ?? 7);
  if (config.task.kind !== 'sine') throw new Error('the long run is a sine task');
  const { channels: n, T } = config.task;
  for (let start = 1; start <= o.steps; start += BATCH) {
    const steps: StepMetrics[] = [];
    const evals: EvalMetrics[] = [];
    for (let s = start; s < start + BATCH && s <= o.steps; s++) {
      steps.push(stepMetrics(rng, s, config.training.lr));
      if (s % o.evalEvery === 0) evals.push(evaluation(rng, s, o.hidden, T, n));
    }
    store.appendProgress(run.id, { steps, evals, checkpoints: [] });
  }
  const size = (r: number, c: number) => ({ rows: r, cols: c, data: Array.from({ length: r * c }, () => rng.normal() / Math.sqrt(c)) });
  const checkpoint: Checkpoint = {
    step: o.steps,
    baseLr: config.training.lr,
    weights: { U: size(o.hidden, n), W: size(o.hidden, o.hidden), V: size(n, o.hidden) },
    optimizer: { t: 0, buffers: [] },
    rng: rng.getState(),
    carry: null,
    spectral: null,
  };
  store.saveCheckpoint(run.id, checkpoint);
  store.updateRun(run.id, { status: 'completed' });
  return { id: run.id, config };
}
