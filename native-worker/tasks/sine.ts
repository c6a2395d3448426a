// Multi-channel sine, next-step prediction: the workload of the NumPy
// reference (bench/numpy_reference.py, data_bank). Channel k of n
// carries S_k(t) = sin(ω_k t + φ_k), ω_k = 0.1 + 0.3k/n, φ_k = 2πk/n, and
// m = n. Training sequence i reads S(t) for t = iT .. iT+T−1 and targets
// S(t+1): one endless stream, so sequence i continues sequence i−1. The
// held-out sequences lie at negative t, which training never reaches.
//
// The argument ω_k·t + φ_k is formed with the same operations in the same
// order as NumPy, so it is bit-identical to the reference's; the sine itself
// is Math.sin, which may differ from the C library's sin (what NumPy calls)
// in the last bit.

import type { TaskConfig } from '../../common/contract';
import { wholeNumber } from './checks';
import { newSequence, prepareTrainSequence, type Sequence, type Task, type TaskSizes } from './task';

type SineConfig = Extract<TaskConfig, { kind: 'sine' }>;

export function sineFrequency(k: number, channels: number): number {
  return 0.1 + (0.3 * k) / channels;
}

export function sinePhase(k: number, channels: number): number {
  return (2 * Math.PI * k) / channels;
}

/** The argument of the sine of channel k at time t, rounded exactly as the NumPy reference rounds it. */
export function sineArgument(k: number, channels: number, t: number): number {
  return sineFrequency(k, channels) * t + sinePhase(k, channels);
}

export function sineSizes(config: SineConfig): TaskSizes {
  const channels = wholeNumber(config.channels, 'task.channels', 1);
  const T = wholeNumber(config.T, 'task.T', 1);
  const validationSequences = wholeNumber(config.validationSequences, 'task.validationSequences', 1);
  return { m: channels, n: channels, T, masked: false, validationSequences, dataBytes: 0 };
}

export class SineTask implements Task {
  readonly kind = 'sine';
  readonly m: number;
  readonly n: number;
  readonly T: number;
  readonly targets = 'real';
  readonly masked = false;
  readonly vocabulary = null;
  readonly validation: readonly Sequence[];
  private readonly omega: Float64Array;
  private readonly phi: Float64Array;

  constructor(config: SineConfig) {
    const sizes = sineSizes(config);
    const channels = sizes.m;
    const count = sizes.validationSequences;
    this.T = sizes.T;
    this.m = channels;
    this.n = channels;
    this.omega = new Float64Array(channels);
    this.phi = new Float64Array(channels);
    for (let k = 0; k < channels; k++) {
      this.omega[k] = sineFrequency(k, channels);
      this.phi[k] = sinePhase(k, channels);
    }
    // Held-out sequence v starts at t = −1 − (count − v)·T: consecutive
    // windows of one stream whose last target is S(−1).
    const validation: Sequence[] = [];
    for (let v = 0; v < count; v++) {
      const seq = newSequence(this.T, this.m, this.n, false);
      this.fill(-1 - (count - v) * this.T, seq);
      validation.push(seq);
    }
    this.validation = validation;
  }

  trainSequence(index: number, out: Sequence): void {
    prepareTrainSequence(this, index, out);
    this.fill(index * this.T, out);
  }

  continues(index: number): boolean {
    return index > 0;
  }

  /** x^τ = S(start + τ), y^τ = S(start + τ + 1) for τ = 0..T−1: T + 1 evaluations per channel. */
  private fill(start: number, out: Sequence): void {
    const { T, n, omega, phi } = this;
    const x = out.x;
    const y = out.y;
    for (let tau = 0; tau <= T; tau++) {
      const t = start + tau;
      for (let k = 0; k < n; k++) {
        const s = Math.sin(omega[k] * t + phi[k]);
        if (tau < T) x[tau * n + k] = s;
        if (tau > 0) y[(tau - 1) * n + k] = s;
      }
    }
  }
}
