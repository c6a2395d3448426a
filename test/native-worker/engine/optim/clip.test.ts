import { describe, expect, it } from 'vitest';
import { clipGradients } from '../../../../native-worker/engine/optim/clip';
import { expectCloseArrays } from './steps';

describe('clipGradients', () => {
  it('leaves the gradient alone when both clips are off', () => {
    const g = Float64Array.from([3, -4]);
    expect(clipGradients(g, null, null)).toEqual({ normBefore: 5, scaled: false });
    expect(Array.from(g)).toEqual([3, -4]);
  });

  it('is a no-op when the gradient is within both limits', () => {
    const g = Float64Array.from([3, -4, 0]);
    expect(clipGradients(g, 5, 4)).toEqual({ normBefore: 5, scaled: false });
    expect(Array.from(g)).toEqual([3, -4, 0]);
  });

  it('clips each component to [−v, v]', () => {
    const g = Float64Array.from([0.5, -3, 2, -0.1]);
    const r = clipGradients(g, null, 1);
    expect(Array.from(g)).toEqual([0.5, -1, 1, -0.1]);
    expect(r.scaled).toBe(true);
    expect(r.normBefore).toBeCloseTo(Math.sqrt(0.25 + 9 + 4 + 0.01), 14);
  });

  it('scales the whole vector to the norm limit', () => {
    // ‖[3, −4]‖ = 5 → scaled by 2/5 to [1.2, −1.6]
    const g = Float64Array.from([3, -4]);
    expect(clipGradients(g, 2, null)).toEqual({ normBefore: 5, scaled: true });
    expectCloseArrays(g, [1.2, -1.6], 15);
  });

  it('clips values first, then the norm of the clipped vector', () => {
    // [6, −8, 0.5] clipped to ±2: [2, −2, 0.5], norm √8.25; then scaled to norm 1.
    const g = Float64Array.from([6, -8, 0.5]);
    const r = clipGradients(g, 1, 2);
    expect(r).toEqual({ normBefore: Math.sqrt(100.25), scaled: true });
    const k = 1 / Math.sqrt(8.25);
    expectCloseArrays(g, [2 * k, -2 * k, 0.5 * k], 15);
  });

  it('skips the norm clip when value clipping already brought the norm under it', () => {
    // [10, 0] → [1, 0], norm 1 ≤ 3: only the value clip acts, normBefore is still 10.
    const g = Float64Array.from([10, 0]);
    expect(clipGradients(g, 3, 1)).toEqual({ normBefore: 10, scaled: true });
    expect(Array.from(g)).toEqual([1, 0]);
  });

  it('handles a zero vector and an empty one', () => {
    const zero = new Float64Array(4);
    expect(clipGradients(zero, 1, 1)).toEqual({ normBefore: 0, scaled: false });
    expect(Array.from(zero)).toEqual([0, 0, 0, 0]);
    expect(clipGradients(new Float64Array(0), 1, 1)).toEqual({ normBefore: 0, scaled: false });
  });

  it('measures and scales a gradient whose squares overflow', () => {
    const g = Float64Array.from([3e200, -4e200]);
    const r = clipGradients(g, 1, null);
    expect(r.scaled).toBe(true);
    expect(r.normBefore / 5e200).toBeCloseTo(1, 14);
    expectCloseArrays(g, [0.6, -0.8], 14);
  });

  it('reports a non-finite gradient without turning it into NaN', () => {
    const inf = Float64Array.from([Infinity, 1]);
    expect(clipGradients(inf, 1, null)).toEqual({ normBefore: Infinity, scaled: false });
    expect(Array.from(inf)).toEqual([Infinity, 1]);
    const nan = Float64Array.from([Number.NaN, 1]);
    expect(clipGradients(nan, 1, null).normBefore).toBeNaN();
    // Value clipping still bounds an infinite component.
    const clamped = Float64Array.from([Infinity, -Infinity]);
    expect(clipGradients(clamped, null, 2)).toEqual({ normBefore: Infinity, scaled: true });
    expect(Array.from(clamped)).toEqual([2, -2]);
  });

  it('rejects limits that are not positive numbers', () => {
    const g = new Float64Array(2);
    expect(() => clipGradients(g, 0, null)).toThrow(/training\.clipNorm must be null or a finite number > 0, got 0/);
    expect(() => clipGradients(g, Number.NaN, null)).toThrow(/training\.clipNorm/);
    expect(() => clipGradients(g, null, -1)).toThrow(/training\.clipValue must be null or a finite number > 0, got -1/);
    expect(() => clipGradients(g, null, Infinity)).toThrow(/training\.clipValue/);
  });
});
