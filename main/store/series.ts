// Names of the stored metric series and the conversion between row-shaped
// StepMetrics and the per-series columns the chunk table holds.

import {
  isStepSeries,
  PER_MATRIX_FIELDS,
  SCALAR_SERIES,
  STEP_SERIES,
  type ScalarSeries,
  type SeriesName,
  type StepSeries,
} from '../../common/series';
import { MATRIX_NAMES, type MatrixName } from '../../common/values';
import type { PerMatrix, StepMetrics } from '../../common/contract';
import { StoreError } from './errors';

/** Steps per metric chunk; fixed by migration 001 (a chunk never crosses a multiple of it). */
export const CHUNK_STEPS = 1024;

export function checkSeriesName(name: string): SeriesName {
  if (name === 'validationLoss' || isStepSeries(name)) return name;
  throw new StoreError('invalid-input', `unknown series '${name}'; expected validationLoss or one of ${STEP_SERIES.join(', ')}`);
}

export interface SeriesColumn {
  steps: number[];
  values: number[];
}

/**
 * Splits a batch into one column per series. Checks that steps are
 * integers, strictly increasing and after `afterStep`, and that every
 * field holds a number (NaN and ±Infinity are kept: a diverging loss is
 * data). A PerMatrix key missing at some step leaves a gap in that series.
 */
export function splitSteps(steps: readonly StepMetrics[], afterStep: number | null): Map<StepSeries, SeriesColumn> {
  const columns = new Map<StepSeries, SeriesColumn>();
  const push = (series: StepSeries, step: number, value: number): void => {
    let col = columns.get(series);
    if (col === undefined) {
      col = { steps: [], values: [] };
      columns.set(series, col);
    }
    col.steps.push(step);
    col.values.push(value);
  };
  let previous = afterStep ?? -1;
  steps.forEach((m, i) => {
    if (!Number.isSafeInteger(m.step) || m.step <= previous) {
      throw new StoreError(
        'invalid-input',
        `steps[${i}].step is ${m.step}; steps must be integers increasing past the last stored step (${previous})`,
      );
    }
    previous = m.step;
    for (const name of SCALAR_SERIES) {
      const v = m[name];
      if (typeof v !== 'number') throw new StoreError('invalid-input', `steps[${i}].${name} is not a number`);
      push(name, m.step, v);
    }
    for (const field of PER_MATRIX_FIELDS) {
      const per: PerMatrix | undefined = m[field];
      if (per === null || typeof per !== 'object') {
        throw new StoreError('invalid-input', `steps[${i}].${field} is not an object of per-matrix numbers`);
      }
      for (const key of Object.keys(per)) {
        const v = per[key as MatrixName];
        if (!MATRIX_NAMES.includes(key as MatrixName) || typeof v !== 'number') {
          throw new StoreError('invalid-input', `steps[${i}].${field}.${key} is not a number for a matrix U, W, V, b or c`);
        }
        push(`${field}.${key as MatrixName}`, m.step, v);
      }
    }
  });
  return columns;
}

/** Dense columns over steps from..from+length-1; `present` marks steps that have a value. */
export interface DenseColumn {
  values: Float64Array;
  present: Uint8Array;
}

/** Rebuilds StepMetrics rows from dense columns; a step is a row when it has a loss. */
export function assembleSteps(from: number, length: number, columns: ReadonlyMap<StepSeries, DenseColumn>): StepMetrics[] {
  const loss = columns.get('loss');
  if (loss === undefined) return [];
  const scalar = (name: ScalarSeries): DenseColumn | undefined => columns.get(name);
  const [lr, spectralRadius, saturation, timestepsPerSec, wallMs] = (
    ['lr', 'spectralRadius', 'saturation', 'timestepsPerSec', 'wallMs'] as const
  ).map(scalar);
  const perMatrix = PER_MATRIX_FIELDS.map((field) =>
    MATRIX_NAMES.flatMap((m) => {
      const col = columns.get(`${field}.${m}`);
      return col === undefined ? [] : [{ m, col }];
    }),
  );
  const at = (col: DenseColumn | undefined, k: number): number => (col !== undefined && col.present[k] === 1 ? col.values[k] : Number.NaN);
  const per = (field: number, k: number): PerMatrix => {
    const out: PerMatrix = {};
    for (const { m, col } of perMatrix[field]) if (col.present[k] === 1) out[m] = col.values[k];
    return out;
  };
  const rows: StepMetrics[] = [];
  for (let k = 0; k < length; k++) {
    if (loss.present[k] === 0) continue;
    rows.push({
      step: from + k,
      loss: loss.values[k],
      lr: at(lr, k),
      gradNorm: per(0, k),
      weightNorm: per(1, k),
      updateRatio: per(2, k),
      spectralRadius: at(spectralRadius, k),
      saturation: at(saturation, k),
      timestepsPerSec: at(timestepsPerSec, k),
      wallMs: at(wallMs, k),
    });
  }
  return rows;
}
