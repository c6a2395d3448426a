// The gradient method as one object: what the trainer asks of BPTT, exact
// RTRL (reference, fast naive, block) and online RTRL alike. table.ts picks
// the implementation once, from the method kind and the dtype.

import type { Batch } from '../engine/batch';
import type { LossSpec } from '../engine/loss';
import { saturatedFraction } from '../engine/metrics/saturation';
import type { RtrlCarry } from '../engine/rtrl-carry';
import type { FloatArray } from '../engine/tensor';

export interface GradientStep {
  /** The step's loss: the batch mean, or online the sum over the sequence's time steps. */
  loss: number;
  /** Fraction of saturated hidden units over the step's states. */
  saturation: number;
}

export interface GradientMethod {
  /**
   * One optimizer step's gradient work on the batch: each gradient is
   * written into grad and followed by update(), which applies it to params
   * (batch methods: once; online RTRL: after every time step, grad holding
   * that step's gradient alone). fresh: the batch does not continue the
   * previous step's sequence, so no state is carried into it.
   */
  train(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array, update: () => void, fresh: boolean): GradientStep;
  /** The state carried from one step to the next, for checkpoints; null when the method carries none. */
  saveCarry(): Float64Array | null;
  loadCarry(carry: ArrayLike<number>): void;
}

/** The batch gradient of fixed weights: returns the mean loss, grad holding the mean gradient. */
export type BatchGradient = (params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array) => number;

/**
 * A method that computes the whole batch's gradient at once (BPTT, tBPTT,
 * exact RTRL): `states` ((T+1)·B × d, s^0 first) holds the batch's hidden
 * states once `gradient` has run.
 */
export class BatchMethod implements GradientMethod {
  constructor(
    private readonly gradient: BatchGradient,
    private readonly states: FloatArray,
    private readonly d: number,
  ) {}

  train(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array, update: () => void): GradientStep {
    const value = this.gradient(params, batch, loss, grad);
    const Bd = batch.B * this.d;
    const saturation = saturatedFraction(this.states, Bd, batch.T * Bd);
    update();
    return { loss: value, saturation };
  }

  saveCarry(): null {
    return null;
  }

  loadCarry(): void {
    throw new RangeError('checkpoint: carries online RTRL state but the method is not rtrl-online');
  }
}

/** One RTRL time step at the given weights (see Rtrl.step); returns the weighted E^t. */
export type RtrlStep = (
  params: FloatArray,
  x: ArrayLike<number>,
  xOff: number,
  target: ArrayLike<number>,
  tOff: number,
  weight: number,
  loss: LossSpec,
  grad: Float64Array,
) => number;

/** rtrl-online: one sequence per step, the weights updated after every time step, s and [P Q R] carried across steps. */
export class OnlineRtrl implements GradientMethod {
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
