// Spreadsheet exports: one CSV per matrix (a grid of numbers, a bias as one
// column), and a run's metrics as CSV with a header row or as JSON lines.
// Numbers are written in full precision; a value JSON cannot hold (NaN,
// ±Infinity) is "NaN"/"Infinity" in CSV and null in JSON lines, and a
// per-matrix value a step does not have is an empty cell.

import type { MatrixName, PerMatrix, StepMetrics } from '../../common/contract';
import type { NdArray } from './npy';
import { PER_MATRIX_FIELDS, SCALAR_SERIES } from '../../common/series';
import { MATRIX_NAMES } from '../../common/values';

const cell = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

export function matrixCsv(a: NdArray): Uint8Array {
  const cols = a.shape.length === 2 ? a.shape[1] : 1;
  const lines: string[] = [];
  for (let i = 0; i < a.data.length; i += cols) lines.push(Array.from(a.data.subarray(i, i + cols), cell).join(','));
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

/** The metric columns of a run with these stored series: the scalars, then each per-matrix field of the matrices it has. */
export function metricColumns(series: readonly string[]): string[] {
  const seen = new Set(series);
  const perMatrix = PER_MATRIX_FIELDS.flatMap((f) => MATRIX_NAMES.map((m) => `${f}.${m}`).filter((c) => seen.has(c)));
  return ['step', ...SCALAR_SERIES, ...perMatrix, 'validationLoss'];
}

/** Metrics as CSV rows (the header is the columns joined): validationLoss is filled at the steps that had an evaluation. */
export function metricsCsvRows(
  columns: readonly string[],
  steps: readonly StepMetrics[],
  validation: ReadonlyMap<number, number>,
): Uint8Array {
  let text = '';
  for (const s of steps) {
    text +=
      columns
        .map((c) => {
          const v = valueOf(s, c, validation);
          return v === undefined ? '' : cell(v);
        })
        .join(',') + '\n';
  }
  return Buffer.from(text, 'utf8');
}

/** Metrics as JSON lines: one StepMetrics object per line, plus validationLoss where there was an evaluation. */
export function metricsJsonlRows(steps: readonly StepMetrics[], validation: ReadonlyMap<number, number>): Uint8Array {
  let text = '';
  for (const s of steps) {
    const v = validation.get(s.step);
    const row = v === undefined ? s : { ...s, validationLoss: v };
    text += JSON.stringify(row, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)) + '\n';
  }
  return Buffer.from(text, 'utf8');
}

function valueOf(s: StepMetrics, column: string, validation: ReadonlyMap<number, number>): number | undefined {
  if (column === 'validationLoss') return validation.get(s.step);
  const dot = column.indexOf('.');
  if (dot < 0) return s[column as 'step' | (typeof SCALAR_SERIES)[number]];
  const per = s[column.slice(0, dot) as (typeof PER_MATRIX_FIELDS)[number]] as PerMatrix;
  return per[column.slice(dot + 1) as MatrixName];
}
