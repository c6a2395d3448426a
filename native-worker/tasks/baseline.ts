// Each task's trivial baselines: the validation loss of a predictor that
// ignores the sequence, in exactly the units of the run's validation loss
// (the same loss, mask and mean over the held-out sequences), so a run
// whose validation loss is no better has learned nothing.
//   mean:        y^t = the training targets' mean (squared error)
//   frequencies: y^t = log of the training targets' character frequencies
//                (cross-entropy; add-one smoothed, so no character costs ∞)
//   last:        y^t = x^t, the value just read (next-step tasks: sine, csv)
// The statistics come from the first SAMPLE training sequences; the held-out
// set is never looked at for them.

import type { TaskBaseline } from '../../common/contract';
import { lossRows, type LossSpec } from '../engine/loss';
import { newSequence, type Task } from './task';

const SAMPLE = 64;

export function taskBaselines(task: Task, spec: LossSpec): TaskBaseline[] {
  const { T, m, n } = task;
  const sums = new Float64Array(n);
  let weight = 0;
  const seq = newSequence(T, m, n, task.masked);
  for (let i = 0; i < SAMPLE; i++) {
    task.trainSequence(i, seq);
    for (let t = 0; t < T; t++) {
      const w = seq.mask === null ? 1 : seq.mask[t];
      weight += w;
      for (let k = 0; k < n; k++) sums[k] += w * seq.y[t * n + k];
    }
  }
  const row = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    row[k] = spec.kind === 'xent' ? Math.log((sums[k] + 1) / (weight + n)) : weight > 0 ? sums[k] / weight : 0;
  }
  const constant = new Float64Array(T * n);
  for (let t = 0; t < T; t++) constant.set(row, t * n);
  const baselines: TaskBaseline[] = [
    { kind: spec.kind === 'xent' ? 'frequencies' : 'mean', loss: validationLoss(task, spec, () => constant) },
  ];
  if ((task.kind === 'sine' || task.kind === 'csv') && m === n) {
    baselines.push({ kind: 'last', loss: validationLoss(task, spec, (s) => s.x) });
  }
  return baselines;
}

/** The mean over the held-out sequences of E for the predictions `predict` gives each. */
function validationLoss(task: Task, spec: LossSpec, predict: (s: Task['validation'][number]) => Float64Array): number {
  const vals = task.validation;
  const scratch = new Float64Array(task.T * task.n);
  let total = 0;
  for (const s of vals) total += lossRows(spec, task.n, task.T, predict(s), 0, s.y, 0, s.mask, 0, 1 / vals.length, scratch, 0);
  return total;
}
