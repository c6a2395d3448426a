import { describe, expect, it } from 'vitest';
import { columnStatistics, normalizeColumns } from '../../../native-worker/tasks/normalize';

// Three columns: varying, constant 0.1 (whose mean is not exactly 0.1 in floating point), and varying.
const train = [1, 0.1, 10, 2, 0.1, 20, 3, 0.1, 30, 6, 0.1, 60];
const held = [100, 5, -7, 200, 0.1, 0];
const values = new Float64Array([...train, ...held]);
const rowsOfTrain = 4;

function column(data: Float64Array, j: number, rows: number): number[] {
  return Array.from({ length: rows }, (_, r) => data[r * 3 + j]);
}

describe('column normalisation', () => {
  it('zscore: training rows get mean 0 and standard deviation 1; held-out rows use the same statistics', () => {
    const stats = columnStatistics(values, 3, rowsOfTrain, 'zscore');
    expect(stats.offset[0]).toBe(3);
    expect(stats.scale[0]).toBeCloseTo(Math.sqrt(3.5), 14);
    const out = normalizeColumns(values, 3, stats);
    for (const j of [0, 2]) {
      const c = column(out, j, rowsOfTrain);
      const mean = c.reduce((a, b) => a + b, 0) / c.length;
      const variance = c.reduce((a, b) => a + (b - mean) ** 2, 0) / c.length;
      expect(mean).toBeCloseTo(0, 14);
      expect(variance).toBeCloseTo(1, 14);
    }
    expect(out[4 * 3]).toBe((100 - 3) / stats.scale[0]);
  });

  it('minmax: the training range maps onto [0, 1]; held-out values may fall outside', () => {
    const stats = columnStatistics(values, 3, rowsOfTrain, 'minmax');
    expect(Array.from(stats.offset)).toEqual([1, 0.1, 10]);
    expect(Array.from(stats.scale)).toEqual([5, 1, 50]);
    const out = normalizeColumns(values, 3, stats);
    expect(column(out, 0, 6)).toEqual([0, 0.2, 0.4, 1, 19.8, 39.8]);
    expect(column(out, 2, 6)).toEqual([0, 0.2, 0.4, 1, -0.34, -0.2]);
  });

  it('none: leaves the values as they are', () => {
    const stats = columnStatistics(values, 3, rowsOfTrain, 'none');
    expect(Array.from(normalizeColumns(values, 3, stats))).toEqual(Array.from(values));
  });

  it('maps a column constant over the training rows to exactly 0 there, without dividing by zero', () => {
    for (const mode of ['zscore', 'minmax'] as const) {
      const stats = columnStatistics(values, 3, rowsOfTrain, mode);
      expect([stats.offset[1], stats.scale[1]]).toEqual([0.1, 1]);
      const out = normalizeColumns(values, 3, stats);
      expect(column(out, 1, 6)).toEqual([0, 0, 0, 0, 5 - 0.1, 0]);
    }
  });

  it('takes its statistics from the training rows only', () => {
    const changed = new Float64Array(values);
    for (let i = train.length; i < changed.length; i++) changed[i] = 1e6 * (i + 1);
    for (const mode of ['zscore', 'minmax'] as const) {
      const a = columnStatistics(values, 3, rowsOfTrain, mode);
      const b = columnStatistics(changed, 3, rowsOfTrain, mode);
      expect([Array.from(b.offset), Array.from(b.scale)]).toEqual([Array.from(a.offset), Array.from(a.scale)]);
    }
  });

  it('zscore: one value of 1e200 neither overflows the sum of squares nor zeroes the column', () => {
    const big = new Float64Array([1e200, 0, 1, 2, 3, 4, 5, 6]);
    const stats = columnStatistics(big, 1, big.length, 'zscore');
    expect(stats.offset[0]).toBe(1e200 / 8);
    expect(stats.scale[0]).toBeCloseTo((Math.sqrt(7) / 8) * 1e200, -186);
    const out = normalizeColumns(big, 1, stats);
    expect(out[0]).toBeCloseTo(Math.sqrt(7), 12);
    expect(out[1]).toBeCloseTo(-1 / Math.sqrt(7), 12);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('zscore: a column at the edge of float64 (±1.7e308) gets a finite mean and scale', () => {
    const edge = new Float64Array([1.7e308, -1.7e308, 1.7e308, -1.7e308]);
    const stats = columnStatistics(edge, 1, 4, 'zscore');
    expect([stats.offset[0], stats.scale[0]]).toEqual([0, 1.7e308]);
    expect(Array.from(normalizeColumns(edge, 1, stats))).toEqual([1, -1, 1, -1]);
  });
});
