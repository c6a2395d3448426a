// How far back in time the gradient reaches, on one sequence (s^0 = 0):
//   flow[k]       = ‖∂E^T/∂s^(T−k)‖₂,  k = 0 … T−1   (E^T the loss of the last step)
//   jacobian[k−1] = ‖∂s^T/∂s^(T−k)‖₂ = ‖D_T W · D_(T−1) W ⋯ D_(T−k+1) W‖₂,  k = 1 … T−1
// with D_t = diag(f′(z^t)), since ∂s^t/∂s^(t−1) = D_t W (MATH.md's model).
// flow runs the same chain backwards on a vector: g_0 = Vᵀe^T, g_k = Wᵀ(D_(T−k+1) g_(k−1)).
// Vanishing and exploding chains leave float64's range within tens of
// steps, so both are carried normalised with their scale kept as a
// logarithm; a norm outside float64's range comes out as 0 or Infinity,
// never NaN.

import type { Activation } from '../../../common/contract';
import { derivatives } from '../activation';
import type { Batch } from '../batch';
import { ForwardPass } from '../forward';
import { lossRows, type LossSpec } from '../loss';
import type { Layout } from '../params';
import { norm2 } from '../tensor';
import { spectralNorm } from './dense';

export interface Flow {
  /** ‖∂E^T/∂s^(T−k)‖₂ for k = 0 … T−1. */
  flow: number[];
  /** ‖∂s^T/∂s^(T−k)‖₂ for k = 1 … T−1 (element k−1). */
  jacobian: number[];
}

/** The hidden states s^0 … s^T ((T+1) × d) of the batch's first sequence, and f′(z^t) for t = 1 … T (T × d). */
export function statesOf(layout: Layout, act: Activation, p: Float64Array, batch: Batch): { states: Float64Array; fp: Float64Array } {
  const one = batch.B === 1 ? batch : firstSequence(batch);
  const pass = new ForwardPass(layout, act, 'float64', one.T, 1);
  pass.run(p, one);
  const d = layout.shape.d;
  const fp = new Float64Array(one.T * d);
  derivatives(act, pass.S, d, one.T * d, fp, 0);
  return { states: pass.S as Float64Array, fp };
}

/** The batch's first sequence as a batch of one. */
export function firstSequence(batch: Batch): Batch {
  const { T, B, m, n } = batch;
  const x = new Float64Array(T * m),
    y = new Float64Array(T * n);
  const mask = batch.mask ? new Float64Array(T) : null;
  for (let t = 0; t < T; t++) {
    x.set(batch.x.subarray(t * B * m, t * B * m + m), t * m);
    y.set(batch.y.subarray(t * B * n, t * B * n + n), t * n);
    if (mask) mask[t] = batch.mask![t * B];
  }
  return { T, B: 1, m, n, x, y, mask };
}

/** jacobian[k−1] = ‖∂s^T/∂s^(T−k)‖₂ for k = 1 … T−1, from f′(z^t) (T × d) and W. */
export function jacobianNorms(layout: Layout, p: Float64Array, fp: Float64Array, T: number): number[] {
  const d = layout.shape.d;
  const out: number[] = [];
  // J = D_T W ⋯ D_(T−k+1) W = exp(logScale) · J_hat
  let J = new Float64Array(d * d),
    next = new Float64Array(d * d),
    logScale = 0;
  for (let i = 0; i < d; i++) J[i * d + i] = 1;
  for (let k = 1; k <= T - 1; k++) {
    const t = T - k + 1; // J ← J · D_t W
    next.fill(0);
    for (let i = 0; i < d; i++) {
      for (let l = 0; l < d; l++) {
        const jil = J[i * d + l] * fp[(t - 1) * d + l];
        if (jil === 0) continue;
        for (let j = 0; j < d; j++) next[i * d + j] += jil * p[layout.W + l * d + j];
      }
    }
    [J, next] = [next, J];
    const size = norm2(J);
    if (size === 0) {
      while (out.length < T - 1) out.push(0); // every longer chain passes through this zero product
      return out;
    }
    for (let i = 0; i < d * d; i++) J[i] /= size;
    logScale += Math.log(size);
    out.push(Math.exp(logScale) * spectralNorm(J, d, d));
  }
  return out;
}

/** flow and jacobian on the batch's first sequence at the weights p. */
export function gradientFlow(layout: Layout, act: Activation, p: Float64Array, batch: Batch, loss: LossSpec): Flow {
  const one = batch.B === 1 ? batch : firstSequence(batch);
  const { states, fp } = statesOf(layout, act, p, one);
  return { flow: flowNorms(layout, p, one, loss, states, fp), jacobian: jacobianNorms(layout, p, fp, one.T) };
}

/** flow alone, O(T·d²) (the Jacobian's norms cost a d × d product and a spectral norm per lag): on a batch of one, given its states and f′(z^t) (statesOf). */
export function flowNorms(layout: Layout, p: Float64Array, one: Batch, loss: LossSpec, states: Float64Array, fp: Float64Array): number[] {
  const { d, n } = layout.shape;
  const { T } = one;
  // g_0 = Vᵀ e^T, e^T the error of the last step's output (as the objective weighs it)
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let v = layout.c >= 0 ? p[layout.c + k] : 0;
    for (let j = 0; j < d; j++) v += p[layout.V + k * d + j] * states[T * d + j];
    y[k] = v;
  }
  const e = new Float64Array(n);
  lossRows(loss, n, 1, y, 0, one.y, (T - 1) * n, one.mask, T - 1, 1, e, 0);
  let g = new Float64Array(d),
    next = new Float64Array(d),
    logScale = 0;
  for (let k = 0; k < n; k++) for (let j = 0; j < d; j++) g[j] += e[k] * p[layout.V + k * d + j];
  const flow: number[] = [];
  for (let k = 0; k < T; k++) {
    if (k > 0) {
      const t = T - k + 1; // g ← Wᵀ (D_t g)
      next.fill(0);
      for (let l = 0; l < d; l++) {
        const gl = g[l] * fp[(t - 1) * d + l];
        if (gl === 0) continue;
        for (let j = 0; j < d; j++) next[j] += p[layout.W + l * d + j] * gl;
      }
      [g, next] = [next, g];
    }
    const size = norm2(g);
    if (size === 0) {
      while (flow.length < T) flow.push(0);
      break;
    }
    for (let j = 0; j < d; j++) g[j] /= size;
    logScale += Math.log(size);
    flow.push(Math.exp(logScale));
  }
  return flow;
}
