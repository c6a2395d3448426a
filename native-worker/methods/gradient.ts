// The gradient method as a type: what the trainer asks of every method
// (GradientMethod), and the part the batch methods share. One file per
// method beside this one (bptt.ts, rtrl.ts, rtrl-online.ts, rtrl-fast.ts);
// create.ts makes a run's from its kind; table.ts holds what is known of
// each without making one (online or not, memory, cost).

import type { Batch } from '../engine/batch';
import type { LossSpec } from '../engine/loss';
import { saturatedFraction } from '../engine/metrics/saturation';
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

/**
 * A method that computes the whole batch's gradient at once, with fixed
 * weights (BPTT, tBPTT, exact RTRL): one update per step, no state carried.
 */
export abstract class BatchMethod implements GradientMethod {
  constructor(private readonly d: number) {}

  /** The batch gradient at params: returns the mean loss, grad holding the mean gradient. */
  protected abstract gradient(params: FloatArray, batch: Batch, loss: LossSpec, grad: Float64Array): number;
  /** The batch's hidden states ((T+1)·B × d, s^0 first) once gradient() has run. */
  protected abstract readonly states: FloatArray;

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
