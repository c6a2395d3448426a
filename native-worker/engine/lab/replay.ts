// Deterministic replay: step N of a run recomputed from its nearest
// snapshot at or before step N − 1 (or from the initial weights its seed
// gives), by the trainer itself, so the step's loss and gradient norms come
// out bit for bit as the run stored them (a trainer resumed from a
// checkpoint continues bit-identically). With it: that step's backpropagated
// errors δz^t and RTRL's sensitivities ∂s/∂U, ∂s/∂W, for heatmaps.

import type { Checkpoint, PerMatrix, RunConfig, StepMetrics } from '../../../common/contract';
import { sequencesPerStep } from '../../methods/table';
import { newSequence } from '../../tasks';
import { Trainer } from '../../trainer';
import { newBatch, putSequence } from '../batch';
import { Bptt } from '../bptt';
import { FastRtrl, fastRtrlGradient } from '../fast/rtrl-naive';
import { lossSpec } from '../loss';
import { firstSequence } from './flow';

export interface Matrix {
  rows: number;
  cols: number;
  /** Row-major. */
  data: number[];
}

export interface ReplayedStep {
  step: number;
  /** The snapshot's step the replay started from; null: from the seed's initial weights. */
  from: number | null;
  /** The step's metrics as the trainer computes them again. */
  metrics: StepMetrics;
  /**
   * δz^t = ∂E/∂z^t (full BPTT) on the step's first sequence at the weights
   * the step started from: row t − 1 for time step t.
   */
  deltas: Matrix;
  /** ∂s^T/∂U (d × d·m; column i·m + j for u_ij) by exact RTRL on that sequence from s^0 = 0. */
  sensitivityU: Matrix;
  /** ∂s^T/∂W (d × d·d; column i·d + j for w_ij). */
  sensitivityW: Matrix;
}

/** Replays step `step` (≥ 1) of a run with this config from `checkpoint` (its step < step; null: from the start). */
export function replayStep(config: RunConfig, checkpoint: Checkpoint | null, step: number): ReplayedStep {
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`replay: step ${step} is not a step number (≥ 1)`);
  if (checkpoint && checkpoint.step >= step) {
    throw new RangeError(`replay: the snapshot at step ${checkpoint.step} is not before step ${step}`);
  }
  const trainer = new Trainer(config, checkpoint);
  while (trainer.step < step - 1) trainer.runStep();
  const before = Float64Array.from(trainer.params);
  const metrics = trainer.runStep();

  const { layout, task } = trainer;
  const { m, d, n } = layout.shape;
  const B = sequencesPerStep(config);
  const batch = newBatch(task.T, B, m, n, task.masked);
  const seq = newSequence(task.T, m, n, task.masked);
  for (let b = 0; b < B; b++) {
    task.trainSequence((step - 1) * B + b, seq);
    putSequence(batch, b, seq);
  }
  const one = firstSequence(batch);
  const loss = lossSpec(config.loss, n);
  const grad = new Float64Array(layout.size);
  const bptt = new Bptt(layout, config.model.activation, 'float64', one.T, 1, null);
  bptt.gradient(before, one, loss, grad);
  const rtrl = new FastRtrl(layout, config.model.activation);
  fastRtrlGradient(rtrl, before, one, loss, grad, null);
  const sens = rtrl.sensitivities;
  const slice = (from: number, cols: number): Matrix => {
    const data: number[] = [];
    for (let l = 0; l < d; l++) for (let k = 0; k < cols; k++) data.push(sens[l * rtrl.cols + from + k]);
    return { rows: d, cols, data };
  };
  return {
    step,
    from: checkpoint?.step ?? null,
    metrics,
    deltas: { rows: one.T, cols: d, data: Array.from(bptt.deltas) },
    sensitivityU: slice(0, d * m),
    sensitivityW: slice(d * m, d * d),
  };
}

/** The fields of two step records that differ in any bit (loss, gradient, weight norms and update ratios); empty when none does. */
export function replayDifferences(replayed: StepMetrics, stored: StepMetrics): string[] {
  const out: string[] = [];
  if (!Object.is(replayed.loss, stored.loss)) out.push('loss');
  for (const field of ['gradNorm', 'weightNorm', 'updateRatio'] as const) {
    const a: PerMatrix = replayed[field],
      b: PerMatrix = stored[field];
    for (const name of new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof PerMatrix>) {
      if (!Object.is(a[name], b[name])) out.push(`${field}.${name}`);
    }
  }
  return out;
}
