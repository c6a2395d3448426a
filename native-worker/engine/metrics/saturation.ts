// Saturation of the hidden units (StepMetrics.saturation): the fraction of
// activations s_l^t with |s_l^t| > threshold. For tanh, f'(z) = 1 − (s^t)²
// (MATH.md) is below 0.02 there, so a saturated unit passes almost no
// gradient back through W and none forward through the sensitivities P, Q.

import { processNative } from '../fast/workspace';
import { checkSpan } from './span';

/**
 * Fraction of s[from, from + length) with |s| > threshold: 0 for an empty
 * slice, NaN if any value is NaN (a diverged state has no meaningful fraction).
 */
export function saturatedFraction(s: ArrayLike<number>, from: number, length: number, threshold = 0.99): number {
  checkSpan('saturatedFraction', s, from, length);
  if (!(threshold >= 0) || !Number.isFinite(threshold)) {
    throw new RangeError(`saturatedFraction: threshold must be a finite number ≥ 0, got ${threshold}`);
  }
  if (length === 0) return 0;
  // a step's states are T·B·d values (409,600 for the batched bench workload): counted natively where the process can
  const kernels = processNative();
  if (kernels !== null && (s instanceof Float64Array || s instanceof Float32Array)) {
    const saturated = kernels.saturated(s, from, length, threshold);
    return saturated < 0 ? Number.NaN : saturated / length;
  }
  let count = 0;
  for (let i = from; i < from + length; i++) {
    const v = s[i];
    if (v > threshold || v < -threshold) count++;
    else if (Number.isNaN(v)) return Number.NaN;
  }
  return count / length;
}
