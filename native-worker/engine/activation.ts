// The hidden nonlinearity f and its derivative. Every f here has f'(z)
// expressible through s = f(z), so the engine never stores z:
//   tanh:     f' = 1 − s²        sigmoid:  f' = s (1 − s)
//   relu:     f' = [s > 0]       identity: f' = 1

import type { Activation } from '../../common/contract';
import type { FloatArray } from './tensor';

/** s[i] = f(s[i]) in place over [from, from + length). */
export function activate(kind: Activation, a: FloatArray, from: number, length: number): void {
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

/** f'(z) written through s = f(z). */
export function derivativeFromOutput(kind: Activation, s: number): number {
  switch (kind) {
    case 'tanh':
      return 1 - s * s;
    case 'sigmoid':
      return s * (1 - s);
    case 'relu':
      return s > 0 ? 1 : 0;
    case 'identity':
      return 1;
  }
}

/** out[i] = f'(z) for s[from + i], i < length. */
export function derivatives(kind: Activation, s: FloatArray, from: number, length: number, out: FloatArray, outFrom: number): void {
  switch (kind) {
    case 'tanh':
      for (let i = 0; i < length; i++) {
        const v = s[from + i];
        out[outFrom + i] = 1 - v * v;
      }
      return;
    case 'sigmoid':
      for (let i = 0; i < length; i++) {
        const v = s[from + i];
        out[outFrom + i] = v * (1 - v);
      }
      return;
    case 'relu':
      for (let i = 0; i < length; i++) out[outFrom + i] = s[from + i] > 0 ? 1 : 0;
      return;
    case 'identity':
      for (let i = 0; i < length; i++) out[outFrom + i] = 1;
      return;
  }
}
