// Storage for every numeric array in the engine. A matrix is a row-major
// view (rows × cols) over one typed array; kernels index it explicitly.
// Arithmetic is always done in float64 JS numbers; in float32 mode the
// stored values round to float32 on every write.

import type { Dtype } from '../../common/contract';

export type FloatArray = Float64Array | Float32Array;

export function allocate(dtype: Dtype, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

export interface Mat {
  rows: number;
  cols: number;
  data: FloatArray;
  /** Offset of element (0, 0) in data. */
  offset: number;
}

export function mat(rows: number, cols: number, data: FloatArray, offset = 0): Mat {
  if (offset + rows * cols > data.length) {
    throw new RangeError(`matrix ${rows}×${cols} at ${offset} does not fit in ${data.length} values`);
  }
  return { rows, cols, data, offset };
}

/** Euclidean norm of a[from, from + length). */
export function norm2(a: ArrayLike<number>, from = 0, length = a.length - from): number {
  let s = 0;
  for (let i = from; i < from + length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}
