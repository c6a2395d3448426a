// The parameter charts' data mapping: axes (linear, log, ordered
// categories), the metric's colour, brushes, hover text and scatter points.

import { describe, expect, it } from 'vitest';
import { cssRgb, viridis } from '../../renderer/charts/colormap';
import {
  brushedIds,
  buildAxes,
  buildAxis,
  describeRow,
  inferScale,
  METRIC_KEY,
  metricAxis,
  metricColor,
  NO_METRIC_COLOR,
  scatterPoints,
  tickText,
  type ParamRow,
} from '../../renderer/charts/param-axes';

const rows: ParamRow[] = [
  { runId: 1, params: { lr: 0.001, hidden: 8, method: 'bptt' }, metric: 0.5 },
  { runId: 2, params: { lr: 0.01, hidden: 16, method: 'rtrl' }, metric: 0.05 },
  { runId: 3, params: { lr: 0.1, hidden: 32, method: 'bptt' }, metric: null, label: 'diverged one' },
  { runId: 4, params: { lr: 0.1, hidden: 16, method: 'tbptt' }, metric: 5 },
];

describe('axes', () => {
  it('infers categories for strings, log for positive numbers over two decades, else linear', () => {
    expect(inferScale(['a', 1])).toBe('category');
    expect(inferScale([0.001, 0.1])).toBe('log');
    expect(inferScale([0.01, 0.1])).toBe('linear');
    expect(inferScale([0, 100])).toBe('linear');
    expect(inferScale([undefined, 3])).toBe('linear');
  });

  it('maps linear values onto [0, 1] between the smallest and the largest', () => {
    const a = buildAxis({ key: 'hidden' }, [8, 16, 32]);
    expect(a.scale).toBe('linear');
    expect([a.position(8), a.position(16), a.position(32)]).toEqual([0, 1 / 3, 1]);
    expect(a.position(undefined)).toBeNull();
    expect(a.position('8')).toBeNull();
    expect(a.ticks.map((t) => t.text)).toEqual(['8', '14', '20', '26', '32']);
  });

  it('maps log values by their decades, with a tick per power of ten, and refuses values ≤ 0', () => {
    const a = buildAxis({ key: 'lr', scale: 'log' }, [0.001, 0.01, 0.1, 0]);
    expect(a.position(0.01)).toBeCloseTo(0.5, 12);
    expect(a.position(0)).toBeNull();
    expect(a.min).toBe(0.001);
    expect(a.ticks.map((t) => [t.text, Number(t.pos.toFixed(6))])).toEqual([
      ['0.001', 0],
      ['0.01', 0.5],
      ['0.1', 1],
    ]);
  });

  it('orders categories as the caller says, then the rest numerically or alphabetically', () => {
    const a = buildAxis({ key: 'm', scale: 'category', categories: ['rtrl'] }, ['tbptt', 'bptt', 'rtrl']);
    expect(a.categories).toEqual(['rtrl', 'bptt', 'tbptt']);
    expect([a.position('rtrl'), a.position('bptt'), a.position('tbptt'), a.position('other')]).toEqual([0, 0.5, 1, null]);
    expect(buildAxis({ key: 'h', scale: 'category' }, [32, 8, 16]).categories).toEqual(['8', '16', '32']);
  });

  it('puts a single value in the middle', () => {
    expect(buildAxis({ key: 'x' }, [3, 3]).position(3)).toBe(0.5);
    expect(buildAxis({ key: 'x', scale: 'category' }, ['a']).position('a')).toBe(0.5);
  });

  it('builds one axis per spec over the rows, titled by the label', () => {
    const axes = buildAxes(rows, [{ key: 'lr', label: 'learning rate' }, { key: 'method' }]);
    expect(axes.map((a) => [a.label, a.scale])).toEqual([
      ['learning rate', 'log'],
      ['method', 'category'],
    ]);
  });
});

describe('the metric', () => {
  it('is on a log axis only when every metric is positive', () => {
    expect(metricAxis(rows, 'validation loss', true).scale).toBe('log');
    expect(metricAxis([...rows, { runId: 5, params: {}, metric: 0 }], 'v', true).scale).toBe('linear');
    expect(metricAxis(rows, 'v', false).scale).toBe('linear');
  });

  it('colours the best run brightest and a run without a metric grey', () => {
    const m = metricAxis(rows, 'validation loss', true);
    expect(metricColor(m, 0.05)).toBe(cssRgb(viridis(1)));
    expect(metricColor(m, 5)).toBe(cssRgb(viridis(0)));
    expect(metricColor(m, 5, false)).toBe(cssRgb(viridis(1)));
    expect(metricColor(m, null)).toBe(NO_METRIC_COLOR);
  });
});

describe('brushes', () => {
  const axes = [...buildAxes(rows, [{ key: 'lr' }, { key: 'method' }]), metricAxis(rows, 'v', true)];

  it('keep every run when there is none', () => {
    expect([...brushedIds(rows, axes, {})]).toEqual([1, 2, 3, 4]);
  });

  it('keep the runs inside every brushed range, either way round', () => {
    expect([...brushedIds(rows, axes, { lr: { from: 1, to: 0.5 } })]).toEqual([2, 3, 4]);
    expect([...brushedIds(rows, axes, { lr: { from: 0.5, to: 1 }, method: { from: 0, to: 0 } })]).toEqual([3]);
  });

  it('leave out a run with no value on a brushed axis', () => {
    expect([...brushedIds(rows, axes, { [METRIC_KEY]: { from: 0, to: 1 } })]).toEqual([1, 2, 4]);
  });
});

describe('hover text and scatter points', () => {
  it('names the run, its parameters and its metric', () => {
    const axes = buildAxes(rows, [{ key: 'lr', label: 'lr' }, { key: 'method' }]);
    expect(describeRow(rows[0], axes, 'val')).toBe('run #1 · lr 0.001 · method bptt · val 0.5');
    expect(describeRow(rows[2], axes, 'val')).toBe('diverged one · lr 0.1 · method bptt · val —');
  });

  it('places categorical values at their index and leaves out runs without a metric', () => {
    const m = metricAxis(rows, 'v', true);
    const pts = scatterPoints(rows, buildAxis({ key: 'method', categories: ['rtrl', 'bptt', 'tbptt'] }, ['bptt']), m);
    expect(pts.map((p) => [p.runId, p.x, p.y])).toEqual([
      [1, 1, 0.5],
      [2, 0, 0.05],
      [4, 2, 5],
    ]);
    expect(pts[1].color).toBe(cssRgb(viridis(1)));
  });

  it('leaves out runs whose value the axis cannot place', () => {
    const m = metricAxis(rows, 'v', true);
    const lr = buildAxis({ key: 'lr', scale: 'log' }, [0.001, 0.1]);
    const pts = scatterPoints([...rows, { runId: 9, params: { lr: -1 }, metric: 1 }], lr, m);
    expect(pts.map((p) => p.runId)).toEqual([1, 2, 4]);
  });
});

describe('scatter ticks', () => {
  it('name categories by index, keep only powers of ten on a log axis over decades, and show other numbers', () => {
    const cat = buildAxis({ key: 'm', scale: 'category' }, ['a', 'b']);
    expect([tickText(cat, 0), tickText(cat, 1), tickText(cat, 0.5)]).toEqual(['a', 'b', '']);
    const log = buildAxis({ key: 'lr', scale: 'log' }, [1e-4, 0.1]);
    expect([0.0001, 0.0005, 0.001, 0.005, 0.01].map((v) => tickText(log, v))).toEqual(['1e-4', '', '0.001', '', '0.01']);
    const narrow = buildAxis({ key: 'lr', scale: 'log' }, [0.02, 0.05]);
    expect(tickText(narrow, 0.03)).toBe('0.03');
    expect(tickText(buildAxis({ key: 'h' }, [4, 32]), 12.5)).toBe('12.5');
  });
});
