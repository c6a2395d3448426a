// The gradient check: exact RTRL, full BPTT and central finite differences
// of E on the same batch and weights, compared matrix by matrix with the
// relative error ‖a − b‖ / max(‖a‖, ‖b‖). In float64 RTRL and BPTT agree to
// rounding (≲ 1e-10) and both match finite differences to ≲ 1e-6.

import type { Activation, PerMatrix } from '../../main/contract';
import type { Batch } from './batch';
import { Bptt } from './bptt';
import { Evaluator } from './evaluate';
import type { LossSpec } from './loss';
import type { Layout } from './params';
import { Rtrl, rtrlGradient } from './rtrl';

export interface GradientTriple {
  rtrl: Float64Array;
  bptt: Float64Array;
  finiteDiff: Float64Array;
}

export interface GradCheckResult {
  rtrlVsBptt: PerMatrix;
  rtrlVsFiniteDiff: PerMatrix;
  bpttVsFiniteDiff: PerMatrix;
  worst: number;
  gradients: GradientTriple;
}

export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, length = a.length): number {
  let diff = 0, na = 0, nb = 0;
  for (let i = from; i < from + length; i++) {
    diff += (a[i] - b[i]) ** 2;
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const scale = Math.sqrt(Math.max(na, nb));
  return scale === 0 ? 0 : Math.sqrt(diff) / scale;
}

/** Central differences (E(θ + h) − E(θ − h)) / 2h for every parameter. */
export function finiteDifferences(layout: Layout, act: Activation, p: Float64Array, batch: Batch, loss: LossSpec, h = 1e-5): Float64Array {
  const ev = new Evaluator(layout, act, 'float64', batch.T, batch.B);
  const out = new Float64Array(layout.size);
  for (let i = 0; i < layout.size; i++) {
    const old = p[i];
    p[i] = old + h;
    const ep = ev.loss(p, batch, loss);
    p[i] = old - h;
    const em = ev.loss(p, batch, loss);
    p[i] = old;
    out[i] = (ep - em) / (2 * h);
  }
  return out;
}

export function gradCheck(layout: Layout, act: Activation, p: Float64Array, batch: Batch, loss: LossSpec, h = 1e-5): GradCheckResult {
  const rtrl = new Float64Array(layout.size);
  rtrlGradient(new Rtrl(layout, act, 'float64'), p, batch, loss, rtrl);
  const bptt = new Float64Array(layout.size);
  new Bptt(layout, act, 'float64', batch.T, batch.B, null).gradient(p, batch, loss, bptt);
  const finiteDiff = finiteDifferences(layout, act, p, batch, loss, h);
  const compare = (a: Float64Array, b: Float64Array): PerMatrix => {
    const out: PerMatrix = {};
    for (const blk of layout.blocks) out[blk.name] = relativeError(a, b, blk.offset, blk.size);
    return out;
  };
  const rtrlVsBptt = compare(rtrl, bptt);
  const rtrlVsFiniteDiff = compare(rtrl, finiteDiff);
  const bpttVsFiniteDiff = compare(bptt, finiteDiff);
  const worst = Math.max(...[rtrlVsBptt, rtrlVsFiniteDiff, bpttVsFiniteDiff].flatMap((r) => Object.values(r) as number[]));
  return { rtrlVsBptt, rtrlVsFiniteDiff, bpttVsFiniteDiff, worst, gradients: { rtrl, bptt, finiteDiff } };
}
