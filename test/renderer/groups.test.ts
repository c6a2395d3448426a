import { describe, expect, it } from 'vitest';
import { aggregate, groupRuns } from '../../renderer/compare/groups';

const pts = (...ys: number[]) => ys.map((y, i) => ({ x: i * 10, y }));

describe('grouping runs by a config field', () => {
  it('groups in the order of the first run of each value', () => {
    const lr: Record<number, number> = { 1: 0.01, 2: 0.03, 3: 0.01, 4: 0.03, 5: 0.01 };
    expect(groupRuns([1, 2, 3, 4, 5], (id) => lr[id])).toEqual([
      { label: '0.01', ids: [1, 3, 5] },
      { label: '0.03', ids: [2, 4] },
    ]);
    expect(groupRuns([1, 2], () => undefined)).toEqual([{ label: '—', ids: [1, 2] }]);
  });

  it('gives the mean and the min–max band at every shared x', () => {
    const band = aggregate([pts(1, 2, 3), pts(3, 4, 5), pts(2, 6, 1)]);
    expect(band.mean).toEqual(pts(2, 4, 3));
    expect(band.min).toEqual(pts(1, 2, 1));
    expect(band.max).toEqual(pts(3, 6, 5));
  });

  it('interpolates runs logged at other steps, counts a run only inside its range, and skips non-finite values', () => {
    const a = [
      { x: 0, y: 0 },
      { x: 20, y: 2 },
    ];
    const b = pts(4, 4, 4, 4); // x 0..30
    const c = [
      { x: 0, y: Number.NaN },
      { x: 10, y: 1 },
    ];
    const band = aggregate([a, b, c]);
    expect(band.mean).toEqual([
      { x: 0, y: 2 },
      { x: 10, y: 2 },
      { x: 20, y: 3 },
      { x: 30, y: 4 },
    ]);
    expect(band.min.map((p) => p.y)).toEqual([0, 1, 2, 4]);
    expect(band.max.map((p) => p.y)).toEqual([4, 4, 4, 4]);
  });

  it('thins the shared x values to at most maxPoints, keeping both ends', () => {
    const long = Array.from({ length: 1001 }, (_, i) => ({ x: i, y: i }));
    const band = aggregate([long], 11);
    expect(band.mean.map((p) => p.x)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });
});
