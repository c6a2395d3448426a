// M4, written once for the store's stored series and the renderer's live
// ones: the bucket grid, the buckets, and the compaction of chart points.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketWidth, M4Buckets, m4, type Point } from '../../common/m4';

const line = (n: number, f: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe('bucketWidth', () => {
  it('never touches more than maxPoints / 4 buckets, and rounds wide buckets to whole chunks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 4, max: 10_000 }),
        (lo, span, maxPoints) => {
          const hi = lo + span;
          const w = bucketWidth(lo, hi, maxPoints, 1024);
          expect(Math.floor(hi / w) - Math.floor(lo / w) + 1).toBeLessThanOrEqual(Math.floor(maxPoints / 4));
          if (w >= 1024) expect(w % 1024).toBe(0);
        },
      ),
      { seed: 7, numRuns: 2_000 },
    );
  });
});

describe('M4Buckets', () => {
  it('keeps first, min, max and last per bucket in step order, once each', () => {
    const m4 = new M4Buckets(0, 7, 4);
    const values = [5, 1, 9, 5, 2, 2, 2, 2];
    values.forEach((v, step) => m4.addPoint(step, v));
    expect(m4.points()).toEqual({
      steps: [0, 1, 2, 3, 4, 7],
      values: [5, 1, 9, 5, 2, 2],
      downsampled: true,
      bucketSteps: 4,
    });
  });

  it('counts NaN for first and last but never as an extreme', () => {
    const m4 = new M4Buckets(10, 13, 4);
    m4.addValues(10, new Float64Array([Number.NaN, 3, -1, Number.NaN]), 0, 4);
    const { steps, values } = m4.points();
    expect(steps).toEqual([10, 11, 12, 13]);
    expect(values.map(String)).toEqual(['NaN', '3', '-1', 'NaN']);
  });

  it('gives the same points whether fed point by point or by runs of values', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => Math.sin(i * 1.7) * (i % 13 === 0 ? 10 : 1));
    const byPoint = new M4Buckets(3, 102, 7);
    values.forEach((v, i) => byPoint.addPoint(3 + i, v));
    const byRun = new M4Buckets(3, 102, 7);
    byRun.addValues(3, values, 0, 40);
    byRun.addValues(3, values, 40, 100);
    expect(byRun.points()).toEqual(byPoint.points());
  });
});

describe('m4', () => {
  it('keeps at most four points per bucket, including every extreme', () => {
    const pts = line(10_000, (i) => Math.sin(i / 50));
    pts[4321] = { x: 4321, y: 99 };
    pts[777] = { x: 777, y: -50 };
    const out = m4(pts, 100);
    expect(out.length).toBeLessThanOrEqual(400);
    expect(out).toContainEqual({ x: 4321, y: 99 });
    expect(out).toContainEqual({ x: 777, y: -50 });
    expect(out[0]).toEqual(pts[0]);
    expect(out[out.length - 1]).toEqual(pts[pts.length - 1]);
    for (let i = 1; i < out.length; i++) expect(out[i].x).toBeGreaterThan(out[i - 1].x);
  });

  it('returns short series unchanged and never picks NaN as an extreme', () => {
    expect(
      m4(
        line(10, (i) => i),
        100,
      ),
    ).toEqual(line(10, (i) => i));
    const pts = line(1000, () => 1);
    pts[550] = { x: 550, y: Number.NaN };
    pts[551] = { x: 551, y: 5 };
    const out = m4(pts, 10);
    expect(out).toContainEqual({ x: 551, y: 5 });
    expect(out.some((p) => p.x === 550)).toBe(false);
  });
});
