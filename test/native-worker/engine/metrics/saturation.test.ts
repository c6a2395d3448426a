import { describe, expect, it } from 'vitest';
import { saturatedFraction } from '../../../../native-worker/engine/metrics/saturation';

describe('saturatedFraction', () => {
  it('is the fraction with |s| strictly above 0.99 by default', () => {
    expect(saturatedFraction([0.995, -0.999, 0.99, -0.99, 0, 0.5, 1, -1], 0, 8)).toBe(4 / 8);
    expect(saturatedFraction(Float32Array.from([0.1, 0.2, -0.3, 0.4]), 0, 4)).toBe(0);
    expect(saturatedFraction(Float64Array.from([1, -1, 1]), 0, 3)).toBe(1);
  });

  it('takes another threshold', () => {
    const s = [0.5, -0.6, 0.7, -0.95, 0.2];
    expect(saturatedFraction(s, 0, 5, 0.55)).toBe(3 / 5);
    expect(saturatedFraction(s, 0, 5, 0.9)).toBe(1 / 5);
    expect(saturatedFraction(s, 0, 5, 0)).toBe(1);
  });

  it('reads only s[from, from + length)', () => {
    expect(saturatedFraction([1, 1, 0.1, 0.999, -0.2, 1], 2, 3)).toBe(1 / 3);
  });

  it('counts ±Infinity as saturated, gives NaN if any value is NaN, and 0 for an empty slice', () => {
    expect(saturatedFraction([Infinity, -Infinity, 0, 0], 0, 4)).toBe(0.5);
    expect(saturatedFraction([0.1, Number.NaN, 1], 0, 3)).toBeNaN();
    expect(saturatedFraction([Number.NaN, 0.5], 1, 1)).toBe(0);
    expect(saturatedFraction([0.5], 1, 0)).toBe(0);
  });

  it('rejects a bad slice or threshold', () => {
    expect(() => saturatedFraction([1, 2], 1, 2)).toThrow(/saturatedFraction: values \[1, 3\) do not fit in 2 values/);
    expect(() => saturatedFraction([1], 0, 1, -0.5)).toThrow(/threshold must be a finite number ≥ 0/);
    expect(() => saturatedFraction([1], 0, 1, Number.NaN)).toThrow(/threshold/);
    expect(() => saturatedFraction([1], 0, 1, Infinity)).toThrow(/threshold/);
  });
});
