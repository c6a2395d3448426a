// Where a line stops because its values stopped being finite, the chart
// marks the step: a marker per series at its first NaN, ±∞ or (serve mode's
// JSON) null, drawn at the last finite value before it.

import { describe, expect, it } from 'vitest';
import { nonFiniteMarkers, type LineSeries } from '../../renderer/charts/line-series';

const line = (label: string, ys: (number | null)[]): LineSeries => ({
  label,
  points: ys.map((y, i) => ({ x: i + 1, y: y as number })),
  color: '#123456',
});

describe('non-finite markers', () => {
  it('mark the first non-finite value of each series at the last finite value before it', () => {
    const out = nonFiniteMarkers([
      line('U', [1, 2, Infinity, 3]),
      line('W', [0.5, NaN, NaN]),
      line('V', [-Infinity, 4]),
      line('b', [2, null, 1]),
      line('c', [1, 2, 3]),
    ]);
    expect(out.map((m) => [m.label, m.points[0].x, m.points[0].y, m.marker, m.color])).toEqual([
      ['U: +∞ at step 3', 3, 2, true, '#123456'],
      ['W: NaN at step 2', 2, 0.5, true, '#123456'],
      ['V: −∞ at step 1', 1, 4, true, '#123456'],
      ['b: non-finite at step 2', 2, 2, true, '#123456'],
    ]);
  });

  it('leave out the quiet lines and the markers themselves', () => {
    expect(
      nonFiniteMarkers([
        { ...line('raw', [NaN]), quiet: true },
        { ...line('m', [NaN]), marker: true },
      ]),
    ).toEqual([]);
  });
});
