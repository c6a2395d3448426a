// Spreadsheet exports: one CSV per matrix (a grid of numbers, a bias as one
// column), and a run's metrics as CSV with a header row or as JSON lines.
// Numbers are written in full precision; a value JSON cannot hold (NaN,
// ±Infinity) is "NaN"/"Infinity" in CSV and null in JSON lines, and a
// per-matrix value a step does not have is an empty cell.

import type { MatrixName, PerMatrix, StepMetrics } from '../contract';
import type { NdArray } from './npy';
import { PER_MATRIX_FIELDS, SCALAR_SERIES } from '../store/series';
import { WEIGHT_NAMES } from './tensors';

const cell = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));

export function matrixCsv(a: NdArray): Uint8Array {
  const cols = a.shape.length === 2 ? a.shape[1] : 1;
  const lines: string[] = [];
  for (let i = 0; i < a.data.length; i += cols) lines.push(Array.from(a.data.subarray(i, i + cols), cell).join(','));
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

/** The metric columns a run has: the scalars, then each per-matrix field for the matrices that appear. */
export function metricColumns(steps: readonly StepMetrics[]): string[] {
  const seen = new Set<string>();
  for (const s of steps) for (const f of PER_MATRIX_FIELDS) for (const k of Object.keys(s[f])) seen.add(`${f}.${k}`);
  const perMatrix = PER_MATRIX_FIELDS.flatMap((f) => WEIGHT_NAMES.map((m) => `${f}.${m}`).filter((c) => seen.has(c)));
  return ['step', ...SCALAR_SERIES, ...perMatrix, 'validationLoss'];
}

/** Metrics as CSV: one row per step; validationLoss is filled at the steps that had an evaluation. */
export function metricsCsv(steps: readonly StepMetrics[], validation: ReadonlyMap<number, number>): Uint8Array {
  const columns = metricColumns(steps);
  const rows = [columns.join(',')];
  for (const s of steps) {
    rows.push(columns.map((c) => {
      const v = valueOf(s, c, validation);
      return v === undefined ? '' : cell(v);
    }).join(','));
  }
  return Buffer.from(rows.join('\n') + '\n', 'utf8');
}

/** Metrics as JSON lines: one StepMetrics object per line, plus validationLoss where there was an evaluation. */
export function metricsJsonl(steps: readonly StepMetrics[], validation: ReadonlyMap<number, number>): Uint8Array {
  const lines = steps.map((s) => {
    const v = validation.get(s.step);
    const row = v === undefined ? s : { ...s, validationLoss: v };
    return JSON.stringify(row, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x));
  });
  return Buffer.from(lines.map((l) => l + '\n').join(''), 'utf8');
}

function valueOf(s: StepMetrics, column: string, validation: ReadonlyMap<number, number>): number | undefined {
  if (column === 'validationLoss') return validation.get(s.step);
  const dot = column.indexOf('.');
  if (dot < 0) return s[column as 'step' | (typeof SCALAR_SERIES)[number]];
  const per = s[column.slice(0, dot) as (typeof PER_MATRIX_FIELDS)[number]] as PerMatrix;
  return per[column.slice(dot + 1) as MatrixName];
}
