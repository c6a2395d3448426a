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

/** Channel k of a probe's time × channels values as points at t = 1..T (1-based, as the hidden-state heatmap beside it). */
export function probeColumn(flat: readonly number[], T: number, n: number, k: number): Point[] {
  const pts: Point[] = new Array(T);
  for (let t = 0; t < T; t++) pts[t] = { x: t + 1, y: flat[t * n + k] };
  return pts;
}
