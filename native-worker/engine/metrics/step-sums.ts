// The sums behind a training step's per-matrix norms (StepMetrics gradNorm,
// weightNorm, updateRatio): one pass over a matrix's gradient, weights and
// weights before the update. At d = 512 a step's 330 k parameters make this
// pass a visible part of the step, so runs hand it to the native kernels
// where this process uses them (float32 weights widened to float64).

import { processNative } from '../fast/workspace';
import type { FloatArray } from '../tensor';

/**
 * out[at..at+3] = Σ g², Σ θ², Σ (θ − θ_before)², Σ θ_before² over [from, to)
 * of the gradient g, the weights p and the weights before the update q. The
 * native kernels sum in vector lanes and the loop below in order, so the two
 * differ in the last bits; each gives the same bits on every call.
 */
export function stepSums(g: Float64Array, p: FloatArray, q: FloatArray, from: number, to: number, out: Float64Array, at: number): void {
  const kernels = processNative();
  if (kernels !== null && p instanceof Float64Array && q instanceof Float64Array) {
    kernels.sums(g, p, q, from, to, out, at);
    return;
  }
  if (kernels !== null && p instanceof Float32Array && q instanceof Float32Array) {
    kernels.sums32(g, p, q, from, to, out, at);
    return;
  }
  // a plain function over its arguments: V8 compiles this loop to straight float arithmetic
  // (inside a forEach callback closing over the trainer it ran 5× slower at d = 512)
  let gg = 0,
    ww = 0,
    uu = 0,
    bb = 0;
  for (let i = from; i < to; i++) {
    const w = p[i],
      b = q[i],
      u = w - b,
      gi = g[i];
    gg += gi * gi;
    ww += w * w;
    uu += u * u;
    bb += b * b;
  }
  out[at] = gg;
  out[at + 1] = ww;
  out[at + 2] = uu;
  out[at + 3] = bb;
}
