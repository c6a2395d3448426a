// Online RTRL (MATH.md, "real-time" mode): one sequence per step, the
// weights updated after every time step, s and [P Q R] carried across steps
// (and into checkpoints). The fast naive path in float64, the reference
// kernels in float32.

import type { Activation } from '../../common/contract';
import type { Batch } from '../engine/batch';
import { FastRtrl } from '../engine/fast/rtrl-naive';
import type { LossSpec } from '../engine/loss';
import { saturatedFraction } from '../engine/metrics/saturation';
import { Rtrl } from '../engine/rtrl';
import type { RtrlCarry } from '../engine/rtrl-carry';
import type { FloatArray } from '../engine/tensor';
import type { GradientMethod, GradientStep } from './gradient';
import type { MethodSizes } from './table';

/** One RTRL time step at the given weights (the reference's Rtrl.step; the fast path loads them first); returns the weighted E^t. */
type RtrlStep = (...args: Parameters<Rtrl['step']>) => number;

class OnlineRtrl implements GradientMethod {
  constructor(
    private readonly carry: RtrlCarry<FloatArray>,
    private readonly step: RtrlStep,
  ) {}

  train(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array, update: () => void, fresh: boolean): GradientStep {
    const { carry } = this;
    if (fresh) carry.reset();
    const { T, m, n, x, y, mask } = batch;
    const d = carry.state.length;
    let value = 0,
      saturated = 0;
    for (let t = 0; t < T; t++) {
      grad.fill(0);
      const w = mask === null ? 1 : mask[t];
      value += this.step(params, x, t * m, y, t * n, w, loss, grad);
      saturated += saturatedFraction(carry.state, 0, d);
      update();
    }
    return { loss: value, saturation: saturated / T };
  }

  saveCarry(): Float64Array {
    return this.carry.saveCarry();
  }

  loadCarry(carry: ArrayLike<number>): void {
    this.carry.loadCarry(carry);
  }
}

export function createRtrlOnline({ layout, dtype }: MethodSizes, act: Activation): GradientMethod {
  if (dtype === 'float64') {
    const fast = new FastRtrl(layout, act);
    fast.reset();
    // the fast path takes the weights by copy: load them again before every step, since every step changes them
    return new OnlineRtrl(fast, (params, ...rest) => {
      fast.load(params);
      return fast.step(...rest);
    });
  }
  const reference = new Rtrl(layout, act, dtype);
  reference.reset();
  return new OnlineRtrl(reference, (...args) => reference.step(...args));
}
