// M4 on the live path: what a page gets of a run's progress since its last
// send. Every step is stored; a view only draws, and a fast run produces
// thousands of steps between two sends. Of those steps the page gets, for
// every series a step carries (the scalars and each matrix's norms), the
// first, the lowest, the highest and the last, as whole StepMetrics (so the
// page's code is the same for thinned and unthinned batches): drawn as
// lines they cover the pixels every step would, and every spike survives.
// Of the evaluations, the newest (the current probe, histograms and health)
// and those with the lowest and highest validation loss.

import type { EvalMetrics, MatrixName, PerMatrix, StepMetrics } from '../../common/contract';
import { PER_MATRIX_FIELDS, SCALAR_SERIES, type PerMatrixField, type ScalarSeries } from '../../common/series';

/** Adds to keep the indices of the lowest and highest of values[0..n) (NaN never counts). */
function keepExtremes(values: Float64Array, n: number, keep: Set<number>): void {
  let lo = -1,
    hi = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) continue;
    if (lo < 0 || v < values[lo]) lo = i;
    if (hi < 0 || v > values[hi]) hi = i;
  }
  if (lo >= 0) keep.add(lo).add(hi);
}

function pick<T>(items: T[], keep: Set<number>): T[] {
  return [...keep].sort((a, b) => a - b).map((i) => items[i]);
}

/** Up to this many steps go whole: M4 would keep about as many of them. */
export const WHOLE_STEPS = 32;

type Getter = (s: StepMetrics) => number | undefined;
// Written out, not read by a computed key: a keyed load costs 15 times a named one here, and a fast run streams thousands of steps a second.
const SCALARS: Record<ScalarSeries, Getter> = {
  loss: (s) => s.loss,
  lr: (s) => s.lr,
  spectralRadius: (s) => s.spectralRadius,
  saturation: (s) => s.saturation,
  timestepsPerSec: (s) => s.timestepsPerSec,
  wallMs: (s) => s.wallMs,
};
const perMatrix = (field: (s: StepMetrics) => PerMatrix): Record<MatrixName, Getter> => ({
  U: (s) => field(s).U,
  W: (s) => field(s).W,
  V: (s) => field(s).V,
  b: (s) => field(s).b,
  c: (s) => field(s).c,
});
const PER_MATRIX: Record<PerMatrixField, Record<MatrixName, Getter>> = {
  gradNorm: perMatrix((s) => s.gradNorm),
  weightNorm: perMatrix((s) => s.weightNorm),
  updateRatio: perMatrix((s) => s.updateRatio),
};

/** The steps a page gets of these (in step order): per series the first, lowest, highest and last. */
export function thinSteps(steps: StepMetrics[]): StepMetrics[] {
  if (steps.length <= WHOLE_STEPS) return steps;
  const n = steps.length;
  const keep = new Set([0, n - 1]);
  const values = new Float64Array(n);
  const scan = (get: Getter): void => {
    for (let i = 0; i < n; i++) values[i] = get(steps[i]) ?? Number.NaN;
    keepExtremes(values, n, keep);
  };
  for (const k of SCALAR_SERIES) scan(SCALARS[k]);
  // every step of a run has the same matrices
  for (const f of PER_MATRIX_FIELDS) for (const m of Object.keys(steps[0][f]) as MatrixName[]) scan(PER_MATRIX[f][m]);
  return pick(steps, keep);
}

/** The evaluations a page gets of these: the newest, and those with the lowest and highest validation loss. */
export function thinEvals(evals: EvalMetrics[]): EvalMetrics[] {
  if (evals.length <= 3) return evals;
  const keep = new Set([evals.length - 1]);
  keepExtremes(
    Float64Array.from(evals, (e) => e.validationLoss),
    evals.length,
    keep,
  );
  return pick(evals, keep);
}
