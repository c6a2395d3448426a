// Per-column normalisation of a time series, v' = (v − offset) / scale,
// with the statistics taken from the training rows only so that nothing of
// the held-out part leaks into training. 'zscore': mean and (population)
// standard deviation; 'minmax': maps the training range onto [0, 1];
// 'none': offset 0, scale 1. A column constant over the training rows gets
// offset = its value and scale 1: it becomes 0 there, with no division by
// zero and no amplified rounding noise.

import type { CsvNormalization } from '../../common/values';

export interface ColumnStatistics {
  offset: Float64Array;
  scale: Float64Array;
}

/** Statistics over rows [0, trainRows) of a row-major rows × cols table. */
export function columnStatistics(values: Float64Array, cols: number, trainRows: number, mode: CsvNormalization): ColumnStatistics {
  const offset = new Float64Array(cols);
  const scale = new Float64Array(cols).fill(1);
  if (mode === 'none') return { offset, scale };
  for (let j = 0; j < cols; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < trainRows; r++) {
      const v = values[r * cols + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === hi) {
      offset[j] = lo;
      continue;
    }
    if (mode === 'minmax') {
      offset[j] = lo;
      scale[j] = hi - lo;
    } else {
      // In units of a power of two near the largest magnitude every value
      // lies within ±4, so neither the sum nor the squares can overflow
      // (1e200 squared is Infinity, and every value divided by it 0), and
      // scaling by a power of two changes no bits of the result otherwise.
      const unit = 2 ** Math.floor(Math.log2(Math.max(Math.abs(lo), Math.abs(hi))));
      let sum = 0;
      for (let r = 0; r < trainRows; r++) sum += values[r * cols + j] / unit;
      const mean = sum / trainRows;
      let squares = 0;
      for (let r = 0; r < trainRows; r++) {
        const d = values[r * cols + j] / unit - mean;
        squares += d * d;
      }
      offset[j] = mean * unit;
      scale[j] = Math.sqrt(squares / trainRows) * unit;
    }
  }
  return { offset, scale };
}

/** The normalised copy of a row-major table. */
export function normalizeColumns(values: Float64Array, cols: number, stats: ColumnStatistics): Float64Array {
  const out = new Float64Array(values.length);
  const rows = values.length / cols;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) out[r * cols + j] = (values[r * cols + j] - stats.offset[j]) / stats.scale[j];
  }
  return out;
}
