// The bridge between the engine's Weights and the named arrays every file
// format holds. In files, U (d×m), W (d×d) and V (n×d) are 2-D and the
// biases b (d) and c (n) are 1-D, as numpy and ONNX users expect; a bias
// read as a d×1 column is accepted too. Reading checks names, ranks and
// finiteness here; the shapes against a model are checked by fromWeights.

import { MATRIX_NAMES } from '../../common/values';
import type { Dtype, MatrixData, MatrixName, RunConfig, Weights } from '../../common/contract';
import { TransferError } from './errors';
import type { NdArray } from './npy';

const BIASES: readonly MatrixName[] = ['b', 'c'];

/** What an export says about the weights besides their values. */
export interface WeightsMeta {
  config: RunConfig;
  step: number;
  runName: string;
  engineVersion: string;
  appVersion: string;
}

/** The matrices of a snapshot as named arrays in the order U, W, V, b, c, rounded to `dtype`. */
export function weightsToArrays(weights: Weights, dtype: Dtype): Map<MatrixName, NdArray> {
  const out = new Map<MatrixName, NdArray>();
  for (const name of MATRIX_NAMES) {
    const m = weights[name];
    if (m === undefined) continue;
    const data = Float64Array.from(m.data);
    if (dtype === 'float32') {
      for (let i = 0; i < data.length; i++) {
        const v = Math.fround(data[i]);
        if (!Number.isFinite(v))
          throw new TransferError('non-finite', `${name}[${i}] = ${data[i]} does not fit in float32; export as float64`);
        data[i] = v;
      }
    }
    const shape = BIASES.includes(name) ? [m.rows * m.cols] : [m.rows, m.cols];
    out.set(name, { shape, data, dtype });
  }
  return out;
}

/** Named arrays read from a file as Weights: U, W and V required, b and c optional, every value finite. */
export function arraysToWeights(arrays: ReadonlyMap<string, NdArray>, what: string): Weights {
  for (const name of arrays.keys()) {
    if (!MATRIX_NAMES.includes(name as MatrixName)) {
      throw new TransferError('shape-mismatch', `${what}: holds an array named "${name}"; weights are named U, W, V, b and c`);
    }
  }
  const out: Partial<Record<MatrixName, MatrixData>> = {};
  for (const name of MATRIX_NAMES) {
    const a = arrays.get(name);
    if (a === undefined) {
      if (!BIASES.includes(name)) throw new TransferError('shape-mismatch', `${what}: matrix ${name} is missing`);
      continue;
    }
    out[name] = toMatrix(name, a, what);
  }
  return out as Weights;
}

function toMatrix(name: MatrixName, a: NdArray, what: string): MatrixData {
  const shape = `(${a.shape.join(', ')})`;
  let rows: number, cols: number;
  if (BIASES.includes(name)) {
    if (a.shape.length === 1) [rows, cols] = [a.shape[0], 1];
    else if (a.shape.length === 2 && a.shape[1] === 1) [rows, cols] = [a.shape[0], 1];
    else throw new TransferError('shape-mismatch', `${what}: bias ${name} has shape ${shape}; a bias is a vector`);
  } else {
    if (a.shape.length !== 2) throw new TransferError('shape-mismatch', `${what}: ${name} has shape ${shape}; it must be a matrix (2-D)`);
    [rows, cols] = a.shape;
  }
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) {
      const at = cols === 1 ? `${i}` : `${Math.floor(i / cols)},${i % cols}`;
      throw new TransferError('non-finite', `${what}: ${name}[${at}] is ${a.data[i]}; weights must be finite numbers`);
    }
  }
  return { rows, cols, data: a.data };
}

/** The dtype of the arrays (float32 only when every one is). */
export function arraysDtype(arrays: ReadonlyMap<string, NdArray>): Dtype {
  return [...arrays.values()].every((a) => a.dtype === 'float32') ? 'float32' : 'float64';
}
