// The gradient check: exact RTRL, full BPTT and central finite differences
// of E on the same batch and weights, compared matrix by matrix with the
// relative error ‖a − b‖ / max(‖a‖, ‖b‖). In float64 RTRL and BPTT agree to
// rounding (≲ 1e-10) and both match finite differences to ≲ 1e-6.

import type { Activation, PerMatrix } from '../../common/contract';
import type { Batch } from './batch';
import { Bptt } from './bptt';
import { Evaluator } from './evaluate';
import type { LossSpec } from './loss';
import type { Layout } from './params';
import type { Rng } from './prng';
import { Rtrl, rtrlGradient } from './rtrl';

export interface GradientTriple {
  rtrl: Float64Array;
  bptt: Float64Array;
  finiteDiff: Float64Array;
}

export interface GradCheckResult {
  checked: PerMatrix;
  rtrlVsBptt: PerMatrix;
  rtrlVsFiniteDiff: PerMatrix;
  bpttVsFiniteDiff: PerMatrix;
  worst: number;
  gradients: GradientTriple;
}

export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, length = a.length): number {
  let diff = 0,
    na = 0,
    nb = 0;
  for (let i = from; i < from + length; i++) {
    diff += (a[i] - b[i]) ** 2;
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const scale = Math.sqrt(Math.max(na, nb));
  return scale === 0 ? 0 : Math.sqrt(diff) / scale;
}

/** Central differences (E(θ + h) − E(θ − h)) / 2h at the given parameter indices (all by default; others stay 0). */
export function finiteDifferences(
  layout: Layout,
  act: Activation,
  p: Float64Array,
  batch: Batch,
  loss: LossSpec,
  h = 1e-5,
  indices: ArrayLike<number> = Array.from({ length: layout.size }, (_, i) => i),
): Float64Array {
  const ev = new Evaluator(layout, act, 'float64', batch.T, batch.B);
  const out = new Float64Array(layout.size);
  for (let q = 0; q < indices.length; q++) {
    const i = indices[q];
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

/** Per matrix, the parameter indices to compare: all of them, or a seeded sorted subset of at most sample.perMatrix. */
export function sampledIndices(layout: Layout, sample: { perMatrix: number; rng: Rng } | null): number[][] {
  return layout.blocks.map((blk) => {
    const all = Array.from({ length: blk.size }, (_, i) => blk.offset + i);
    if (!sample || blk.size <= sample.perMatrix) return all;
    for (let i = 0; i < sample.perMatrix; i++) {
      const j = i + sample.rng.int(blk.size - i);
      [all[i], all[j]] = [all[j], all[i]];
    }
    return all.slice(0, sample.perMatrix).sort((a, b) => a - b);
  });
}

/**
 * Compare the three gradients. Finite differences cost two forward passes
 * per parameter, so for big models `sample` (with an Rng) limits them to a
 * seeded random subset of at most that many entries per matrix; every
 * comparison then runs over the same subset.
 */
export function gradCheck(
  layout: Layout,
  act: Activation,
  p: Float64Array,
  batch: Batch,
  loss: LossSpec,
  h = 1e-5,
  sample: { perMatrix: number; rng: Rng } | null = null,
): GradCheckResult {
  const subsets = sampledIndices(layout, sample);
  const rtrl = new Float64Array(layout.size);
  rtrlGradient(new Rtrl(layout, act, 'float64'), p, batch, loss, rtrl);
  const bptt = new Float64Array(layout.size);
  new Bptt(layout, act, 'float64', batch.T, batch.B, null).gradient(p, batch, loss, bptt);
  const finiteDiff = finiteDifferences(layout, act, p, batch, loss, h, subsets.flat());
  const checked: PerMatrix = {};
  layout.blocks.forEach((blk, k) => (checked[blk.name] = subsets[k].length));
  const compare = (a: Float64Array, b: Float64Array): PerMatrix => {
    const out: PerMatrix = {};
    layout.blocks.forEach((blk, k) => {
      const idx = subsets[k];
      out[blk.name] = relativeError(
        idx.map((i) => a[i]),
        idx.map((i) => b[i]),
      );
    });
    return out;
  };
  const rtrlVsBptt = compare(rtrl, bptt);
  const rtrlVsFiniteDiff = compare(rtrl, finiteDiff);
  const bpttVsFiniteDiff = compare(bptt, finiteDiff);
  const worst = Math.max(...[rtrlVsBptt, rtrlVsFiniteDiff, bpttVsFiniteDiff].flatMap((r) => Object.values(r) as number[]));
  return { checked, rtrlVsBptt, rtrlVsFiniteDiff, bpttVsFiniteDiff, worst, gradients: { rtrl, bptt, finiteDiff } };
}
