// The names of the metric series every process speaks of: the store's
// columns, the API's `metrics:series` argument, the CSV export's header and
// the renderer's charts.

import { MATRIX_NAMES, type MatrixName } from './values';

/** One number per step (StepMetrics' scalar fields). */
export const SCALAR_SERIES = ['loss', 'lr', 'spectralRadius', 'saturation', 'timestepsPerSec', 'wallMs'] as const;
export type ScalarSeries = (typeof SCALAR_SERIES)[number];

/** One number per step and matrix, stored as `${field}.${matrix}` (gradNorm.W). */
export const PER_MATRIX_FIELDS = ['gradNorm', 'weightNorm', 'updateRatio'] as const;
export type PerMatrixField = (typeof PER_MATRIX_FIELDS)[number];

export type StepSeries = ScalarSeries | `${PerMatrixField}.${MatrixName}`;
/** A readable series: any per-step scalar, or the validation loss from eval rows. */
export type SeriesName = StepSeries | 'validationLoss';

export const STEP_SERIES: readonly StepSeries[] = [
  ...SCALAR_SERIES,
  ...PER_MATRIX_FIELDS.flatMap((f) => MATRIX_NAMES.map((m) => `${f}.${m}` as const)),
];

const STEP_SERIES_SET: ReadonlySet<string> = new Set(STEP_SERIES);

export function isStepSeries(name: string): name is StepSeries {
  return STEP_SERIES_SET.has(name);
}
