import { describe, expect, it } from 'vitest';
import { histogram, histogramOnRange, MIN_RANGE, powerOfTwoRange, rebin } from '../../../../native-worker/engine/metrics/histogram';
import { Rng } from '../../../../native-worker/engine/prng';

const total = (h: { counts: number[]; under: number; over: number; nan: number }): number =>
  h.counts.reduce((s, c) => s + c, 0) + h.under + h.over + h.nan;

describe('histogram: layout', () => {
  it('puts each value in its bin, edges closed on the side away from zero', () => {
    // R = 1, 4 bins of width 0.5: [−1, −0.5), [−0.5, 0), [0, 0.5], (0.5, 1].
    const h = histogram([0.3, -0.3, 1, -1, 0, 0.75, 0.5, -0.5, -0], 0, 9, 4);
    expect(h).toEqual({ lo: -1, hi: 1, counts: [1, 2, 4, 2], under: 0, over: 0, nan: 0 });
  });

  it('uses 64 bins over [−R, R] by default and counts every value once', () => {
    const rng = new Rng(1);
    const values = Array.from({ length: 1000 }, () => 0.1 * rng.normal());
    const h = histogram(values, 0, values.length);
    expect(h.counts).toHaveLength(64);
    expect(h.lo).toBe(-h.hi);
    expect(total(h)).toBe(1000);
    const w = (h.hi - h.lo) / 64;
    for (let b = 0; b < 64; b++) {
      const lo = h.lo + b * w;
      const inBin = values.filter((v) => (lo < 0 ? v >= lo && v < lo + w : v > lo && v <= lo + w) || (v === 0 && lo === 0));
      expect(h.counts[b], `bin ${b}`).toBe(inBin.length);
    }
  });

  it('takes R as the smallest power of two ≥ max |v|', () => {
    expect(histogram([0.3, -0.1], 0, 2).hi).toBe(0.5);
    expect(histogram([0.1, -0.5], 0, 2).hi).toBe(0.5);
    expect(histogram([0.5000001], 0, 1).hi).toBe(1);
    expect(histogram([-3, 2], 0, 2).hi).toBe(4);
    expect(histogram([1e300], 0, 1).hi).toBe(2 ** 997);
    for (let e = -29; e <= 60; e++) {
      expect(powerOfTwoRange(2 ** e)).toBe(2 ** e);
      expect(powerOfTwoRange(2 ** e * (1 + Number.EPSILON))).toBe(2 ** (e + 1));
      expect(powerOfTwoRange(2 ** e * (1 - Number.EPSILON / 2))).toBe(2 ** e);
    }
  });

  it('uses R = 2^−30 for all-zero, tiny or empty input', () => {
    const zeros = histogram(new Float64Array(10), 0, 10, 8);
    expect(zeros).toEqual({ lo: -MIN_RANGE, hi: MIN_RANGE, counts: [0, 0, 0, 0, 10, 0, 0, 0], under: 0, over: 0, nan: 0 });
    expect(MIN_RANGE).toBe(2 ** -30);
    expect(histogram([1e-12, -1e-300], 0, 2, 8).counts).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
    expect(histogram([], 0, 0, 4)).toEqual({ lo: -MIN_RANGE, hi: MIN_RANGE, counts: [0, 0, 0, 0], under: 0, over: 0, nan: 0 });
  });

  it('counts ±Infinity in under/over and NaN in nan, with R from the finite values', () => {
    const h = histogram([Number.NaN, Infinity, -Infinity, 1, -0.25, Number.NaN], 0, 6, 4);
    expect(h).toEqual({ lo: -1, hi: 1, counts: [0, 1, 0, 1], under: 1, over: 1, nan: 2 });
    const huge = histogram([Number.MAX_VALUE, -Number.MAX_VALUE, 1], 0, 3, 4);
    expect(huge).toMatchObject({ hi: 2 ** 1023, under: 1, over: 1 });
    expect(huge.counts).toEqual([0, 0, 1, 0]);
  });

  it('reads only values[from, from + length)', () => {
    const h = histogram([100, 0.2, 0.7, -0.9, -100], 1, 3, 4);
    expect(h).toEqual({ lo: -1, hi: 1, counts: [1, 0, 1, 1], under: 0, over: 0, nan: 0 });
  });

  it('rejects bad bins, slices and ranges', () => {
    expect(() => histogram([1], 0, 1, 3)).toThrow(/bins must be a power of two/);
    expect(() => histogram([1], 0, 1, 6)).toThrow(/bins must be a power of two/);
    expect(() => histogram([1], 0, 1, 0)).toThrow(/bins must be a power of two/);
    expect(() => histogram([1, 2], 1, 2)).toThrow(/\[1, 3\) do not fit in 2 values/);
    expect(() => histogram([1], -1, 1)).toThrow(/from must be/);
    expect(() => histogram([1], 0, 0.5)).toThrow(/length must be/);
    expect(() => histogramOnRange([1], 0, 1, 4, 3)).toThrow(/R must be a power of two/);
    expect(() => histogramOnRange([1], 0, 1, 4, 2 ** -31)).toThrow(/R must be a power of two/);
  });
});

describe('rebin', () => {
  // Values on and near every edge of every layout below, plus random ones.
  const rng = new Rng(2);
  const values: number[] = [0, -0, 1, -1, 2 ** -40, -(2 ** -40), 5e-324, -5e-324];
  for (let b = -32; b <= 32; b++) values.push(b / 32, b / 32 + 2 ** -20, b / 32 - 2 ** -20);
  for (let i = 0; i < 500; i++) values.push(0.4 * rng.normal());
  for (let i = 0; i < values.length; i++) values[i] = Math.max(-1, Math.min(1, values[i]));
  values.push(Number.NaN, Infinity, -Infinity);

  it('equals the histogram taken directly on the larger range', () => {
    for (const bins of [2, 4, 16, 64]) {
      const h = histogram(values, 0, values.length, bins);
      expect(h.hi).toBe(1);
      for (const R of [1, 2, 4, 32, 64, 1024, 2 ** 40, 2 ** 1023]) {
        expect(rebin(h, R), `bins ${bins}, R ${R}`).toEqual(histogramOnRange(values, 0, values.length, bins, R));
      }
    }
  });

  it('merges pairs of bins for each doubling, conserving the total', () => {
    const h = histogramOnRange([-0.9, -0.6, -0.3, -0.1, 0.1, 0.2, 0.4, 0.6, 0.8, 1], 0, 10, 8, 1);
    expect(h.counts).toEqual([1, 1, 1, 1, 2, 1, 1, 2]);
    const twice = rebin(h, 2);
    expect(twice.counts).toEqual([0, 0, 2, 2, 3, 3, 0, 0]);
    expect(rebin(twice, 4).counts).toEqual([0, 0, 0, 4, 6, 0, 0, 0]);
    expect(rebin(h, 4)).toEqual(rebin(twice, 4));
    expect(total(rebin(h, 2 ** 50))).toBe(10);
  });

  it('brings two histograms of different ranges to one layout', () => {
    const small = histogram([0.01, -0.02, 0.015], 0, 3);
    const large = histogram([3, -1, 0.5], 0, 3);
    const R = Math.max(small.hi, large.hi);
    const a = rebin(small, R);
    const b = rebin(large, R);
    expect([a.lo, a.hi, a.counts.length]).toEqual([b.lo, b.hi, b.counts.length]);
    expect(a.counts[32]).toBe(2);
    expect(a.counts[31]).toBe(1);
  });

  it('rejects a smaller or non-power-of-two range and a bad histogram', () => {
    const h = histogram([0.7], 0, 1, 4);
    expect(() => rebin(h, 0.5)).toThrow(/R = 0.5 is smaller than the histogram's range 1/);
    expect(() => rebin(h, 3)).toThrow(/R must be a power of two/);
    expect(() => rebin({ ...h, lo: -2 }, 4)).toThrow(/must be symmetric/);
    expect(() => rebin({ ...h, counts: [1, 2, 3] }, 4)).toThrow(/bins must be a power of two/);
    expect(() => rebin({ ...h, lo: -3, hi: 3 }, 4)).toThrow(/power of two/);
  });
});
