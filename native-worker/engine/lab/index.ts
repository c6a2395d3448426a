// The gradient lab as the main process uses it (`rnn-workbench inspect`):
// a run's config and one of its snapshots in, plain JSON-ready numbers out.
// The probe is the run's first validation sequence, as in the live view.

import type { Checkpoint, LabInspect, LabJob, LabReplay, LabResult, RunConfig, StepMetrics } from '../../../common/contract';
import { createTask } from '../../tasks';
import type { Task } from '../../tasks/task';
import { newBatch, putSequence, type Batch } from '../batch';
import { lossSpec } from '../loss';
import { saturatedFraction } from '../metrics/saturation';
import { fromWeights, layoutOf, type Layout } from '../params';
import { Rng } from '../prng';
import { rtrlBytes } from '../buffers';
import { readTable } from './predict';
import { gradientFlow, jacobianNorms, statesOf } from './flow';
import { REFEREE_SAMPLE, REFEREE_SAMPLE_ABOVE, REFEREE_TRUNCATIONS } from './limits';
import { referee, type RefereeReport } from './referee';
import { replayDifferences, replayStep } from './replay';
import { checkSampleOptions, sampleableError, sampleChars, type SampleOptions } from './sample';
import { fixedPoints, pca, spectrum } from './states';

export { predictCsv } from './predict';
export { replayDifferences, replayStep, type ReplayedStep } from './replay';
export type { SampleOptions } from './sample';
export type { RefereeReport } from './referee';

/** The spectrum, flow, saturation, fixed points and PCA at a snapshot: the lab's wire type (common/lab.ts), which every field documents. */
export type InspectReport = LabInspect;

interface Loaded {
  task: Task;
  layout: Layout;
  p: Float64Array;
  probe: Batch;
}

function load(config: RunConfig, checkpoint: Checkpoint): Loaded {
  const task = createTask(config.task, config.seed);
  const { m, n, T } = task;
  const { hidden: d, hiddenBias, outputBias } = config.model;
  const layout = layoutOf({ m, d, n, hiddenBias, outputBias });
  const p = fromWeights(layout, checkpoint.weights, 'float64') as Float64Array;
  const probe = newBatch(T, 1, m, n, task.masked);
  putSequence(probe, 0, task.validation[0]);
  return { task, layout, p, probe };
}

/** The spectrum, gradient flow, Jacobian norms, fixed points and PCA at a snapshot; `input`: rows × m inputs to take the Jacobian on. */
export function inspectSnapshot(config: RunConfig, checkpoint: Checkpoint, input: Float64Array | null = null): InspectReport {
  const { layout, p, probe } = load(config, checkpoint);
  const act = config.model.activation;
  const { m, d, n } = layout.shape;
  const { flow, jacobian: probeJacobian } = gradientFlow(layout, act, p, probe, lossSpec(config.loss, n));
  const { states } = statesOf(layout, act, p, probe);
  let jacobian = probeJacobian,
    x = probe.x,
    rows = probe.T;
  if (input !== null) {
    rows = input.length / m;
    const seq = newBatch(rows, 1, m, n, false);
    seq.x.set(input);
    jacobian = jacobianNorms(layout, p, statesOf(layout, act, p, seq).fp, rows);
    x = input;
  }
  const xMean = new Float64Array(m);
  for (let t = 0; t < rows; t++) for (let j = 0; j < m; j++) xMean[j] += x[t * m + j] / rows;
  return {
    step: checkpoint.step,
    ...spectrum(layout, p),
    jacobian,
    jacobianOn: input === null ? 'probe' : 'input',
    flow,
    saturation: saturatedFraction(states, d, probe.T * d),
    unitSaturation: unitSaturation(states, d, probe.T),
    fixedPoints: fixedPoints(layout, act, p, xMean, { seed: config.seed }),
    pca: pca(states.subarray(d), probe.T, d, Math.min(3, d)),
  };
}

/** Per unit l, the fraction of s_l^1 … s_l^T (states: s^0 … s^T, (T+1) × d) with |s| > 0.99, as saturatedFraction counts it. */
export function unitSaturation(states: Float64Array, d: number, T: number): number[] {
  const column = new Float64Array(T);
  return Array.from({ length: d }, (_, l) => {
    for (let t = 1; t <= T; t++) column[t - 1] = states[t * d + l];
    return saturatedFraction(column, 0, T);
  });
}

/** The referee's table at a snapshot, on the probe; big models get finite differences on 200 seeded entries per matrix. */
export function refereeSnapshot(config: RunConfig, checkpoint: Checkpoint): RefereeReport & { step: number } {
  const { layout, p, probe } = load(config, checkpoint);
  const bytes = rtrlBytes(layout.shape, 'float64');
  if (bytes > config.rtrlMemoryLimit) {
    throw new RangeError(`the referee runs exact RTRL, which needs ${bytes} bytes here, over rtrlMemoryLimit (${config.rtrlMemoryLimit})`);
  }
  const sample = layout.size > REFEREE_SAMPLE_ABOVE ? { perMatrix: REFEREE_SAMPLE, rng: Rng.derive(config.seed, 0x9c) } : null;
  return {
    step: checkpoint.step,
    ...referee(layout, config.model.activation, p, probe, lossSpec(config.loss, layout.shape.n), { sample, ks: [...REFEREE_TRUNCATIONS] }),
  };
}

/** Step `step` replayed from `checkpoint` (the nearest before it; null: the seed's weights) and compared bit for bit with the stored record. */
export function replayCompared(config: RunConfig, checkpoint: Checkpoint | null, step: number, stored: StepMetrics): LabReplay {
  const replayed = replayStep(config, checkpoint, step);
  const differences = replayDifferences(replayed.metrics, stored);
  return { ...replayed, stored, differences, equal: differences.length === 0 };
}

/** One job of the app's lab, as its worker runs it. */
export function runLabJob(job: LabJob): LabResult {
  switch (job.kind) {
    case 'inspect':
      return { kind: 'inspect', report: inspectSnapshot(job.config, job.checkpoint) };
    case 'referee':
      return { kind: 'referee', report: refereeSnapshot(job.config, job.checkpoint) };
    case 'replay':
      return { kind: 'replay', report: replayCompared(job.config, job.checkpoint, job.step, job.stored) };
  }
}

/** Text generated from a text run's snapshot, starting with its probe's first character (sample.ts). */
export function sampleSnapshot(config: RunConfig, checkpoint: Checkpoint, options: SampleOptions): { step: number; text: string } {
  const refused = sampleableError(config);
  if (refused) throw new RangeError(refused);
  checkSampleOptions(options);
  const { task, layout, p, probe } = load(config, checkpoint);
  const first = probe.x.subarray(0, layout.shape.m).indexOf(1);
  return { step: checkpoint.step, text: sampleChars(layout, config.model.activation, p, task.vocabulary!, first, options) };
}

/** A CSV file's rows as x^1 … x^T (rows × m, row-major); `what` names the file in errors. */
export function inputRows(csv: string, what: string, m: number): Float64Array {
  const table = readTable(csv, what);
  if (table.cols !== m) {
    throw new RangeError(
      `${what}: has ${table.cols} column${table.cols === 1 ? '' : 's'}; the run's model reads ${m} input${m === 1 ? '' : 's'} per step`,
    );
  }
  if (table.rows < 2) throw new RangeError(`${what}: has ${table.rows} row; the Jacobian needs at least 2 time steps`);
  return table.values;
}
