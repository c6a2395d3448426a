// The chart data helpers: the EMA is debiased and skips gaps, live buffers
// stay bounded, wall time chains resumed segments, histograms rebin
// exactly, exports carry the data.

import { describe, expect, it } from 'vitest';
import { ema } from '../../renderer/charts/ema';
import { seriesToCsv } from '../../renderer/charts/export';
import { heatmapToSvg, matrixToCsv } from '../../renderer/charts/heatmap-export';
import { histogramGrid } from '../../renderer/charts/histogram-grid';
import type { Point } from '../../common/m4';
import { SeriesBuffer } from '../../renderer/charts/series-buffer';
import { wallClock } from '../../renderer/charts/wall-time';

const line = (n: number, f: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe('ema', () => {
  it('is debiased: a constant series stays constant from the first point', () => {
    const out = ema(
      line(50, () => 3),
      0.9,
    );
    for (const p of out) expect(p.y).toBeCloseTo(3, 12);
  });

  it('follows the TensorBoard recurrence and leaves gaps for non-finite values', () => {
    const out = ema(
      [
        { x: 0, y: 1 },
        { x: 1, y: Number.NaN },
        { x: 2, y: 3 },
      ],
      0.5,
    );
    expect(out[0].y).toBeCloseTo(1);
    expect(out[1].y).toBeNaN();
    // acc = 0.5·(0.5·1) + 0.5·3 = 1.75, debiased by 1 − 0.5² = 0.75.
    expect(out[2].y).toBeCloseTo(1.75 / 0.75);
    expect(
      ema(
        line(3, (i) => i),
        0,
      ),
    ).toEqual(line(3, (i) => i));
  });
});

describe('SeriesBuffer', () => {
  it('appends after its last step, ignores replays, and compacts past twice its budget', () => {
    const b = new SeriesBuffer(400);
    b.reset([
      { x: 0, y: 5 },
      { x: 1, y: 4 },
      { x: 2, y: 3 },
    ]);
    b.push(2, 100);
    expect(b.points).toHaveLength(3);
    for (let s = 3; s < 5000; s++) b.push(s, s === 3000 ? 1e6 : 1);
    expect(b.points.length).toBeLessThanOrEqual(800);
    expect(b.points).toContainEqual({ x: 3000, y: 1e6 });
    expect(b.last).toEqual({ x: 4999, y: 1 });
  });
});

describe('wallClock', () => {
  it('chains segments that restart at zero and interpolates between points', () => {
    const at = wallClock([0, 10, 20, 30, 40], [0, 100, 200, 50, 150]);
    expect(at(10)).toBe(100);
    expect(at(15)).toBe(150);
    expect(at(30)).toBe(250);
    expect(at(40)).toBe(350);
    expect(at(99)).toBe(350);
  });
});

describe('histogramGrid', () => {
  it('brings histograms on different power-of-two ranges to one layout, each column summing to one', () => {
    const small = { lo: -1, hi: 1, counts: [0, 2, 2, 0], under: 0, over: 0 };
    const big = { lo: -2, hi: 2, counts: [1, 1, 1, 1], under: 0, over: 4 };
    const g = histogramGrid([
      { step: 10, h: small },
      { step: 20, h: big },
    ])!;
    expect(g.range).toBe(2);
    expect(g.rows).toBe(4);
    const col = (c: number) => Array.from({ length: 4 }, (_, r) => g.values[r * 2 + c]);
    // small's middle bins [−0.5, 0) and [0, 0.5) land in the big layout's bins [−1, 0) and [0, 1) (rows 2 and 1 from the top).
    expect(col(0)).toEqual([0, 0.5, 0.5, 0]);
    // The 4 values over the range count in the top row.
    expect(col(1)).toEqual([0.625, 0.125, 0.125, 0.125]);
    expect(g.steps).toEqual([10, 20]);
  });
});

describe('exports', () => {
  it('writes series as CSV rows, quoting labels that need it', () => {
    expect(
      seriesToCsv(
        [
          { label: 'loss, raw', points: [{ x: 1, y: 0.5 }] },
          { label: 'val', points: [{ x: 2, y: 0.25 }] },
        ],
        'step',
      ),
    ).toBe('series,step,value\n"loss, raw",1,0.5\nval,2,0.25\n');
  });

  it('writes a heatmap as one rect per cell and as a CSV matrix', () => {
    const svg = heatmapToSvg([1, -1, 0, 0.5], 2, 2, (v) => [v > 0 ? 255 : 0, 0, 0], 'W <3');
    expect(svg.match(/<rect /g)).toHaveLength(4);
    expect(svg).toContain('<title>W 3</title>');
    expect(matrixToCsv([1, 2, 3, 4, 5, 6], 2, 3)).toBe('1,2,3\n4,5,6\n');
  });
});
