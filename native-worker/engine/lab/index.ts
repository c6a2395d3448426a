// The gradient lab as the main process uses it (`rnn-workbench inspect`):
// a run's config and one of its snapshots in, plain JSON-ready numbers out.
// The probe is the run's first validation sequence, as in the live view.

import type { Checkpoint, RunConfig } from '../../../common/contract';
import { createTask } from '../../tasks';
import { newBatch, putSequence, type Batch } from '../batch';
import { lossSpec } from '../loss';
import { saturatedFraction } from '../metrics/saturation';
import { fromWeights, layoutOf, type Layout } from '../params';
import { Rng } from '../prng';
import { rtrlBytes } from '../buffers';
import { readTable } from './predict';
import { gradientFlow, jacobianNorms, statesOf } from './flow';
import { referee, type RefereeReport } from './referee';
import { fixedPoints, pca, spectrum, type Complex, type FixedPoint, type Pca } from './states';

export { predictCsv } from './predict';
export { replayDifferences, replayStep, type ReplayedStep } from './replay';
export type { RefereeReport } from './referee';

export interface InspectReport {
  /** The snapshot's step. */
  step: number;
  spectralRadius: number;
  eigenvalues: Complex[];
  singularMax: number;
  /** ‖∂s^T/∂s^(T−k)‖₂ for k = 1 … T−1 on `jacobianOn`. */
  jacobian: number[];
  /** "probe", or "input" (the rows given, s^0 = 0). */
  jacobianOn: 'probe' | 'input';
  /** ‖∂E^T/∂s^(T−k)‖₂ for k = 0 … T−1 on the probe. */
  flow: number[];
  /** Fraction of the probe's hidden activations with |s| > 0.99. */
  saturation: number;
  /** Of s = f(W s + U x̄ + b), x̄ the mean input of `jacobianOn`. */
  fixedPoints: FixedPoint[];
  /** The probe's hidden-state trajectory s^1 … s^T in its top principal components. */
  pca: Pca;
}

interface Loaded {
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
  return { layout, p, probe };
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
    fixedPoints: fixedPoints(layout, act, p, xMean, { seed: config.seed }),
    pca: pca(states.subarray(d), probe.T, d, Math.min(3, d)),
  };
}

/** The referee's table at a snapshot, on the probe; big models get finite differences on 200 seeded entries per matrix. */
export function refereeSnapshot(config: RunConfig, checkpoint: Checkpoint): RefereeReport & { step: number } {
  const { layout, p, probe } = load(config, checkpoint);
  const bytes = rtrlBytes(layout.shape, 'float64');
  if (bytes > config.rtrlMemoryLimit) {
    throw new RangeError(`the referee runs exact RTRL, which needs ${bytes} bytes here, over rtrlMemoryLimit (${config.rtrlMemoryLimit})`);
  }
  const sample = layout.size > 3000 ? { perMatrix: 200, rng: Rng.derive(config.seed, 0x9c) } : null;
  return {
    step: checkpoint.step,
    ...referee(layout, config.model.activation, p, probe, lossSpec(config.loss, layout.shape.n), { sample }),
  };
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
