// Element-wise steps of the fast path over Float64Arrays only, so every call
// site stays monomorphic: the nonlinearity, its derivative (through
// s = f(z), as in ../activation.ts), biases and column sums. They also take
// a float32 workspace's Float32Arrays (float32 BPTT; a process trains in
// one dtype, so its call sites still see one array type).

import type { FloatArray } from '../tensor';

import type { Activation } from '../../../common/contract';

/** a[i] = f(a[i]) over [from, from + length). */
export function activate64(kind: Activation, a: FloatArray, from: number, length: number): void {
  const end = from + length;
  switch (kind) {
    case 'tanh':
      for (let i = from; i < end; i++) a[i] = Math.tanh(a[i]);
      return;
    case 'sigmoid':
      for (let i = from; i < end; i++) a[i] = 1 / (1 + Math.exp(-a[i]));
      return;
    case 'relu':
      for (let i = from; i < end; i++) if (!(a[i] > 0)) a[i] = 0;
      return;
    case 'identity':
      return;
  }
}

/** g[gOff + i] *= f'(z) written through s[sOff + i] = f(z), i < length. */
export function scaleByDerivative64(kind: Activation, s: FloatArray, sOff: number, g: FloatArray, gOff: number, length: number): void {
  switch (kind) {
    case 'tanh':
      for (let i = 0; i < length; i++) {
        const v = s[sOff + i];
        g[gOff + i] *= 1 - v * v;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < length; i++) {
        const v = s[sOff + i];
        g[gOff + i] *= v * (1 - v);
      }
      return;
    case 'relu':
      for (let i = 0; i < length; i++) if (!(s[sOff + i] > 0)) g[gOff + i] = 0;
      return;
    case 'identity':
      return;
  }
}

/** Add the vector p[bOff .. bOff + cols) to each of `rows` rows of a (row stride cols) from off. */
export function addBias64(a: FloatArray, off: number, rows: number, cols: number, p: FloatArray, bOff: number): void {
  for (let r = 0; r < rows; r++) {
    const o = off + r * cols;
    for (let k = 0; k < cols; k++) a[o + k] += p[bOff + k];
  }
}

/** out[outOff + k] (+)= Σ_r a[off + r·cols + k]. */
export function columnSums64(
  a: FloatArray,
  off: number,
  rows: number,
  cols: number,
  out: FloatArray,
  outOff: number,
  accumulate: boolean,
): void {
  if (!accumulate) out.fill(0, outOff, outOff + cols);
  for (let r = 0; r < rows; r++) {
    const o = off + r * cols;
    for (let k = 0; k < cols; k++) out[outOff + k] += a[o + k];
  }
}
