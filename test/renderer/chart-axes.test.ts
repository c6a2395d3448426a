// @vitest-environment happy-dom
// How charts choose their axes: log by default for losses and norms (and
// the user's choice remembered), one x range per view (aligned ends, one
// zoom, following a live run unless zoomed), y ranges that ignore outliers
// the way TensorBoard does, smoothing for every line, 1-based probe time.

import type { Chart } from 'chart.js';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Point } from '../../common/m4';
import { createChartGroup } from '../../renderer/charts/chart-group';
import { ema } from '../../renderer/charts/ema';
import { probeColumn, smoothSeries, type LineSeries } from '../../renderer/charts/line-series';
import { clampRange, logByDefault, logTicks, quantile, robustYRange, unionRange, xExtent } from '../../renderer/charts/scale';
import { shownX, zoomOptions } from '../../renderer/charts/zoom';
import { usePrefsStore } from '../../renderer/stores/prefs';

const line = (n: number, f: (i: number) => number, x0 = 0): Point[] => Array.from({ length: n }, (_, i) => ({ x: x0 + i, y: f(i) }));

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
});

describe('log by default', () => {
  it('for losses and norms, not for bounded or scheduled series', () => {
    for (const s of ['loss', 'validationLoss', 'gradNorm.W', 'weightNorm.U', 'updateRatio.V']) expect(logByDefault(s), s).toBe(true);
    for (const s of ['spectralRadius', 'saturation', 'lr', 'timestepsPerSec', 'wallMs', 'lossy']) expect(logByDefault(s), s).toBe(false);
  });

  it('remembers each chart’s choice across visits (a new store reads it back)', () => {
    const prefs = usePrefsStore();
    expect(prefs.logScale('live.loss', true)).toBe(true);
    prefs.setLogScale('live.loss', false);
    prefs.setLogScale('live.spectralRadius', true);
    return Promise.resolve().then(() => {
      setActivePinia(createPinia());
      const again = usePrefsStore();
      expect(again.logScale('live.loss', true)).toBe(false);
      expect(again.logScale('live.spectralRadius', false)).toBe(true);
      expect(again.logScale('live.gradNorm', true)).toBe(true);
    });
  });

  it('keeps ignoring outliers as the user left it, and drops a malformed saved entry', async () => {
    const prefs = usePrefsStore();
    prefs.ignoreOutliers = true;
    await Promise.resolve();
    localStorage.setItem(
      'rnn-workbench.prefs',
      JSON.stringify({ ...JSON.parse(localStorage.getItem('rnn-workbench.prefs')!), logScales: { a: true, b: 'yes' } }),
    );
    setActivePinia(createPinia());
    const again = usePrefsStore();
    expect(again.ignoreOutliers).toBe(true);
    expect(again.logScales).toEqual({ a: true });
  });
});

describe('x ranges', () => {
  it('are the extent of every series, and the union of a view’s charts', () => {
    expect(xExtent([line(3, () => 1, 5), [], line(2, () => 1, 1)])).toEqual({ min: 1, max: 7 });
    expect(xExtent([[], []])).toBeNull();
    expect(unionRange([{ min: 3, max: 9 }, null, { min: 1, max: 4 }])).toEqual({ min: 1, max: 9 });
    expect(unionRange([])).toBeNull();
  });

  it('align every chart of a view on the furthest step any has drawn, and follow the data while unzoomed', () => {
    const g = createChartGroup();
    const loss = Symbol('loss'),
      grad = Symbol('grad');
    g.report(loss, { min: 1, max: 6700 });
    g.report(grad, { min: 1, max: 5400 });
    expect(g.xRange()).toEqual({ min: 1, max: 6700 });
    const tick = g.extentTick.value;
    g.report(grad, { min: 1, max: 6800 });
    expect(g.xRange()).toEqual({ min: 1, max: 6800 });
    expect(g.extentTick.value).toBe(tick + 1);
    // the same union again is no change
    g.report(loss, { min: 1, max: 6750 });
    expect(g.extentTick.value).toBe(tick + 1);
    // a chart that leaves no longer stretches the others
    g.report(grad, null);
    expect(g.xRange()).toEqual({ min: 1, max: 6750 });
  });

  it('stay where the user zoomed while the run goes on, until the zoom is reset', () => {
    const g = createChartGroup();
    const a = Symbol('a');
    g.report(a, { min: 0, max: 1000 });
    g.setZoom({ min: 200, max: 400 });
    g.report(a, { min: 0, max: 5000 });
    expect(g.xRange()).toEqual({ min: 200, max: 400 });
    g.setZoom(null);
    expect(g.xRange()).toEqual({ min: 0, max: 5000 });
    // an empty selection is no zoom
    g.setZoom({ min: 300, max: 300 });
    expect(g.zoom.value).toBeNull();
  });

  it('take what the zoom plugin left on the x scale after a drag, a wheel or a pan', () => {
    const ranges: unknown[] = [];
    const o = zoomOptions('#0072b2', (r) => ranges.push(r));
    const chart = { scales: { x: { min: 120, max: 480 } } } as unknown as Chart;
    o.zoom!.onZoomComplete!({ chart });
    o.pan!.onPanComplete!({ chart });
    expect(ranges).toEqual([
      { min: 120, max: 480 },
      { min: 120, max: 480 },
    ]);
    expect(o.zoom!.mode).toBe('x');
    expect(o.zoom!.drag!.enabled).toBe(true);
    // the wheel needs ctrl, so the page still scrolls over the charts
    expect(o.zoom!.wheel!.modifierKey).toBe('ctrl');
    expect(shownX({ scales: {} } as unknown as Chart)).toBeNull();
  });
});

describe('ignoring outliers', () => {
  // a loss that settles near 0.01, with a first step of 1,000 and one spike
  const loss = line(1000, (i) => (i === 0 ? 1000 : i === 500 ? 50 : 0.01 + 0.001 * Math.sin(i)));

  it('fits the y axis to the 5th–95th percentile, padded, not to the spikes', () => {
    const r = robustYRange([loss], null, false)!;
    expect(r.max).toBeLessThan(0.02);
    expect(r.min).toBeGreaterThan(0.005);
    expect(r.max).toBeGreaterThan(0.011);
  });

  it('works on log10 of the values on a log axis, leaving out values ≤ 0', () => {
    const pts = line(100, (i) => (i < 50 ? 10 ** (i / 10) : i === 50 ? 0 : 10 ** ((i - 51) / 10)));
    const r = robustYRange([pts], null, true)!;
    const logs = pts
      .filter((p) => p.y > 0)
      .map((p) => Math.log10(p.y))
      .sort((a, b) => a - b);
    const lo = quantile(logs, 0.05),
      hi = quantile(logs, 0.95);
    expect(Math.log10(r.min)).toBeCloseTo(lo - 0.1 * (hi - lo), 9);
    expect(Math.log10(r.max)).toBeCloseTo(hi + 0.1 * (hi - lo), 9);
  });

  it('counts only what is in the x range shown', () => {
    const two = line(200, (i) => (i < 100 ? 100 + i : 1 + i / 1000));
    const r = robustYRange([two], { min: 100, max: 199 }, false)!;
    expect(r.max).toBeLessThan(1.3);
  });

  it('gives nothing to go on with fewer than two values, and a fixed bound wins', () => {
    expect(robustYRange([[{ x: 0, y: 1 }]], null, false)).toBeNull();
    expect(robustYRange([line(5, () => Number.NaN)], null, false)).toBeNull();
    const flat = robustYRange([line(10, () => 0.5)], null, false)!;
    expect(flat.min).toBeLessThan(0.5);
    expect(flat.max).toBeGreaterThan(0.5);
    expect(clampRange({ min: -0.2, max: 0.4 }, 0, 1)).toEqual({ min: 0, max: 0.4 });
    expect(clampRange(null, 0, 1)).toBeNull();
  });

  it('quantiles interpolate between ranks', () => {
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
  });
});

describe('smoothing every series', () => {
  const noisy = line(100, (i) => 1 + (i % 2 ? 0.5 : -0.5));
  const list: LineSeries[] = [
    { label: 'U', points: noisy, color: '#0072b2' },
    { label: 'W', points: noisy, color: '#d55e00', dash: [4, 2] },
    { label: 'validation loss', points: line(3, () => 1), color: '#000000', dots: true },
  ];

  it('draws every line smoothed by the debiased EMA over its raw values, faint and out of the legend', () => {
    const out = smoothSeries(list, 0.9);
    expect(out.map((s) => [s.label, s.quiet ?? false])).toEqual([
      ['U (raw)', true],
      ['W (raw)', true],
      ['U', false],
      ['W', false],
      ['validation loss', false],
    ]);
    expect(out[0].points).toBe(noisy);
    expect(out[0].color).toBe('rgba(0, 114, 178, 0.22)');
    expect(out[2].points).toEqual(ema(noisy, 0.9));
    expect(out[3].dash).toEqual([4, 2]);
    // smoothed, the ±0.5 noise is far smaller at the end
    expect(Math.abs(out[2].points[99].y - 1)).toBeLessThan(0.1);
    // evaluations are dots, never smoothed
    expect(out[4]).toBe(list[2]);
  });

  it('leaves the series as they are when smoothing is off', () => {
    expect(smoothSeries(list, 0)).toEqual(list);
  });
});

describe('the probe', () => {
  it('counts time steps from 1, as the hidden-state heatmap does', () => {
    // T = 3 time steps × n = 2 channels
    const pts = probeColumn([10, 20, 11, 21, 12, 22], 3, 2, 1);
    expect(pts).toEqual([
      { x: 1, y: 20 },
      { x: 2, y: 21 },
      { x: 3, y: 22 },
    ]);
  });
});

describe('log axis ticks', () => {
  it('are 1, 2, 5 × 10^k, thinned to fit', () => {
    expect(logTicks(0.15, 12)).toEqual([0.2, 0.5, 1, 2, 5, 10]);
    expect(logTicks(1e-4, 1e4)).toEqual([1e-4, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 1e4].filter((_, i) => i % 2 === 0));
  });

  it('fill in 3, 4, 6… within one decade, and leave chart.js its own when nothing fits', () => {
    expect(logTicks(0.2, 0.5)).toEqual([0.2, 0.3, 0.4, 0.5]);
    expect(logTicks(0.21, 0.29)).toEqual([]);
    expect(logTicks(0, 1)).toEqual([]);
  });
});
