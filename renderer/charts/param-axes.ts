// The data mapping behind the parameter charts (parallel coordinates and
// parameter-vs-metric scatter): runs as rows of parameters and one metric,
// an axis per parameter (linear, log, or ordered categories) mapping a
// value to a position in [0, 1] (0 at the bottom), the metric as a colour
// (viridis, the best run brightest), and brushes that keep the rows inside
// a range on every brushed axis.

import { cssRgb, viridis } from './colormap';
import { formatNumber } from '../format';

export type ParamValue = number | string;

export interface ParamRow {
  runId: number;
  params: Record<string, ParamValue>;
  /** The metric the runs are judged by (validation loss); null when the run has none (yet, or not finite). */
  metric: number | null;
  /** How the run is named on hover (default "run #id"). */
  label?: string;
}

export type AxisScale = 'linear' | 'log' | 'category';

/** An axis the caller asks for: a parameter, its title, its scale (inferred when left out), a category order. */
export interface AxisSpec {
  key: string;
  label?: string;
  scale?: AxisScale;
  /** For a categorical axis: the order of its values, bottom to top (default: numeric, then alphabetical). */
  categories?: string[];
}

export interface Tick {
  pos: number;
  text: string;
}

export interface Axis {
  key: string;
  label: string;
  scale: AxisScale;
  /** A categorical axis's values, bottom to top. */
  categories: string[];
  /** The numeric extent (null for a categorical axis or one with no value). */
  min: number | null;
  max: number | null;
  /** A value's position in [0, 1], or null when it has none on this axis (missing, or ≤ 0 on a log axis). */
  position(v: ParamValue | null | undefined): number | null;
  ticks: Tick[];
}

const compareCategories = (a: string, b: string): number => {
  const x = Number(a),
    y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a.localeCompare(b);
};

/** The scale a set of values suggests: categories for any string, log for positive numbers spanning ≥ 2 decades. */
export function inferScale(values: readonly (ParamValue | null | undefined)[]): AxisScale {
  const present = values.filter((v): v is ParamValue => v !== null && v !== undefined);
  if (present.some((v) => typeof v === 'string')) return 'category';
  const nums = present as number[];
  if (nums.length < 2) return 'linear';
  const lo = Math.min(...nums),
    hi = Math.max(...nums);
  return lo > 0 && hi / lo >= 100 ? 'log' : 'linear';
}

function categoryAxis(spec: AxisSpec, label: string, values: (ParamValue | null | undefined)[]): Axis {
  const seen = new Set(values.filter((v) => v !== null && v !== undefined).map(String));
  const given = spec.categories ?? [];
  const categories = [...given, ...[...seen].filter((c) => !given.includes(c)).sort(compareCategories)];
  const n = categories.length;
  const at = (i: number) => (n === 1 ? 0.5 : i / (n - 1));
  return {
    key: spec.key,
    label,
    scale: 'category',
    categories,
    min: null,
    max: null,
    position: (v) => {
      if (v === null || v === undefined) return null;
      const i = categories.indexOf(String(v));
      return i < 0 ? null : at(i);
    },
    ticks: categories.map((c, i) => ({ pos: at(i), text: c })),
  };
}

function numericAxis(spec: AxisSpec, label: string, scale: 'linear' | 'log', values: (ParamValue | null | undefined)[]): Axis {
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (scale === 'linear' || v > 0));
  const empty = nums.length === 0;
  const min = empty ? null : Math.min(...nums),
    max = empty ? null : Math.max(...nums);
  const f = scale === 'log' ? Math.log10 : (x: number) => x;
  const position = (v: ParamValue | null | undefined): number | null => {
    if (typeof v !== 'number' || !Number.isFinite(v) || min === null || max === null) return null;
    if (scale === 'log' && v <= 0) return null;
    if (max === min) return 0.5;
    return (f(v) - f(min)) / (f(max) - f(min));
  };
  return { key: spec.key, label, scale, categories: [], min, max, position, ticks: numericTicks(scale, min, max, position) };
}

function numericTicks(scale: 'linear' | 'log', min: number | null, max: number | null, position: Axis['position']): Tick[] {
  if (min === null || max === null) return [];
  if (min === max) return [{ pos: 0.5, text: formatNumber(min, 3) }];
  const values: number[] = [];
  if (scale === 'log') {
    for (let e = Math.ceil(Math.log10(min)); e <= Math.floor(Math.log10(max)); e++) values.push(10 ** e);
    // Less than two decades inside: the ends say more than one power of ten.
    if (values.length < 2) values.splice(0, values.length, min, max);
  } else {
    for (let i = 0; i <= 4; i++) values.push(min + ((max - min) * i) / 4);
  }
  return values.map((v) => ({ pos: position(v)!, text: formatNumber(v, 3) }));
}

/** The axis for one parameter (or the metric) over the values the rows have. */
export function buildAxis(spec: AxisSpec, values: (ParamValue | null | undefined)[]): Axis {
  const label = spec.label ?? spec.key;
  const scale = spec.scale ?? inferScale(values);
  return scale === 'category' ? categoryAxis(spec, label, values) : numericAxis(spec, label, scale, values);
}

/** One axis per spec, over the rows' values of that parameter. */
export function buildAxes(rows: readonly ParamRow[], specs: readonly AxisSpec[]): Axis[] {
  return specs.map((s) =>
    buildAxis(
      s,
      rows.map((r) => r.params[s.key]),
    ),
  );
}

/** The metric's axis, named by the caller (log only when every metric is positive). */
export function metricAxis(rows: readonly ParamRow[], label: string, log: boolean): Axis {
  const values = rows.map((r) => (r.metric !== null && Number.isFinite(r.metric) ? r.metric : null));
  const canLog = log && values.every((v) => v === null || v > 0);
  return buildAxis({ key: METRIC_KEY, label, scale: canLog ? 'log' : 'linear' }, values);
}

/** The metric axis's key (no config path starts with a colon). */
export const METRIC_KEY = ':metric';

/** A row's value on an axis: its parameter, or its metric on the metric axis. */
export function valueOn(row: ParamRow, axis: Axis): ParamValue | null | undefined {
  return axis.key === METRIC_KEY ? row.metric : row.params[axis.key];
}

export const NO_METRIC_COLOR = 'rgb(150,150,150)';

/**
 * The metric's colour: viridis over the metric axis, with the best run
 * (the lowest, for a loss) brightest; grey for a run with no metric.
 */
export function metricColor(axis: Axis, metric: number | null, lowerIsBetter = true): string {
  const p = axis.position(metric);
  if (p === null) return NO_METRIC_COLOR;
  return cssRgb(viridis(lowerIsBetter ? 1 - p : p));
}

/** A range on one axis, in positions (0 bottom, 1 top), ends in either order. */
export interface Brush {
  from: number;
  to: number;
}

/** The run ids inside every brush (a run with no value on a brushed axis is outside it). */
export function brushedIds(rows: readonly ParamRow[], axes: readonly Axis[], brushes: Readonly<Record<string, Brush>>): Set<number> {
  const active = axes.filter((a) => brushes[a.key]);
  const inside = new Set<number>();
  for (const r of rows) {
    const keep = active.every((a) => {
      const b = brushes[a.key];
      const p = a.position(valueOn(r, a));
      return p !== null && p >= Math.min(b.from, b.to) - 1e-9 && p <= Math.max(b.from, b.to) + 1e-9;
    });
    if (keep) inside.add(r.runId);
  }
  return inside;
}

/** How a run reads on hover: its label, its parameters, its metric. */
export function describeRow(row: ParamRow, axes: readonly Axis[], metricLabel: string): string {
  const params = axes
    .filter((a) => a.key !== METRIC_KEY)
    .map((a) => {
      const v = row.params[a.key];
      return `${a.label} ${v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : v}`;
    });
  return [row.label ?? `run #${row.runId}`, ...params, `${metricLabel} ${formatNumber(row.metric)}`].join(' · ');
}

export interface ScatterPoint {
  x: number;
  y: number;
  runId: number;
  color: string;
}

/**
 * Scatter points for a parameter against the metric: x is the value (the
 * category's index on a categorical axis), y the metric; rows without
 * either are left out.
 */
export function scatterPoints(rows: readonly ParamRow[], x: Axis, metric: Axis): ScatterPoint[] {
  const out: ScatterPoint[] = [];
  for (const r of rows) {
    const v = r.params[x.key];
    if (r.metric === null || !Number.isFinite(r.metric) || x.position(v) === null || metric.position(r.metric) === null) continue;
    const xv = x.scale === 'category' ? x.categories.indexOf(String(v)) : (v as number);
    out.push({ x: xv, y: r.metric, runId: r.runId, color: metricColor(metric, r.metric) });
  }
  return out;
}

/** A chart tick's text: the category at an index, only the powers of ten on a log axis spanning decades (1-2-5 ticks crowd it), else the number. */
export function tickText(a: Axis, v: number): string {
  if (a.scale === 'category') return a.categories[v] ?? '';
  const decades = a.min !== null && a.max !== null && a.max / a.min >= 10;
  if (a.scale === 'log' && decades && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) > 1e-9) return '';
  return formatNumber(v, 3);
}
