// What a line chart draws: named point series with a style. Points are
// shared with the stores' buffers and never copied into reactive state.

import type { Point } from '../../common/m4';
import { ema } from './ema';
import { withAlpha } from './theme';

export interface LineSeries {
  label: string;
  points: readonly Point[];
  color: string;
  width?: number;
  dash?: number[];
  /** Draw as dots (no line), e.g. validation loss at its few evaluation steps. */
  dots?: boolean;
  /** Leave out of the legend (the faint raw line under a smoothed one). */
  quiet?: boolean;
  /** A marker (a large cross), not a line: where a series went non-finite. */
  marker?: boolean;
}

/**
 * For each series that has a NaN or ±∞ value, a marker at the step of the
 * first one, drawn at the series' last finite value before it (its first
 * finite value, or 0, when none came before), so a line that stops says why.
 */
export function nonFiniteMarkers(list: readonly LineSeries[]): LineSeries[] {
  const out: LineSeries[] = [];
  for (const s of list) {
    if (s.quiet || s.marker) continue;
    const i = s.points.findIndex((p) => !Number.isFinite(p.y));
    if (i < 0) continue;
    const p = s.points[i];
    const before = s.points.slice(0, i).findLast((q) => Number.isFinite(q.y)) ?? s.points.find((q) => Number.isFinite(q.y));
    // serve mode's JSON carries NaN and ±∞ as null: which one it was is then unknown
    const what = typeof p.y !== 'number' ? 'non-finite' : Number.isNaN(p.y) ? 'NaN' : p.y > 0 ? '+∞' : '−∞';
    out.push({ label: `${s.label}: ${what} at step ${p.x}`, points: [{ x: p.x, y: before?.y ?? 0 }], color: s.color, marker: true });
  }
  return out;
}

/** Log axes cannot show values ≤ 0: those become gaps. */
export function positiveOnly(points: readonly Point[]): Point[] {
  const out: Point[] = new Array(points.length);
  for (let i = 0; i < points.length; i++) out[i] = points[i].y > 0 ? points[i] : { x: points[i].x, y: Number.NaN };
  return out;
}

/**
 * Every line smoothed by the debiased EMA with its raw values drawn faint
 * behind (TensorBoard's way); dots (evaluations) and quiet lines are left as
 * they are. Weight 0: the series unchanged.
 */
export function smoothSeries(list: readonly LineSeries[], weight: number): LineSeries[] {
  if (weight <= 0) return list.slice();
  const raw: LineSeries[] = [],
    out: LineSeries[] = [];
  for (const s of list) {
    if (s.dots || s.quiet) {
      out.push(s);
      continue;
    }
    raw.push({ label: `${s.label} (raw)`, points: s.points, color: withAlpha(s.color, 0.22), width: 1, dash: s.dash, quiet: true });
    out.push({ ...s, points: ema(s.points, weight), width: Math.max(s.width ?? 1.5, 1.75) });
  }
  // the raw lines first, so every smoothed line is drawn over all of them
  return [...raw, ...out];
}

/**
 * Channel k of a probe's time × channels values as points at t = 1..T
 * (1-based, as the hidden-state heatmap beside it), at the counted steps
 * only when a mask is given (a masked step's target means nothing).
 */
export function probeColumn(flat: readonly number[], T: number, n: number, k: number, mask: readonly number[] | null = null): Point[] {
  const pts: Point[] = [];
  for (let t = 0; t < T; t++) if (!mask || mask[t] !== 0) pts.push({ x: t + 1, y: flat[t * n + k] });
  return pts;
}
