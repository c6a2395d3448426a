// How a chart's axes are chosen: which series read best on a log axis, the
// x range every chart of a view shares, and a y range that ignores
// outliers (TensorBoard's "ignore outliers in chart scaling": the 5th to
// 95th percentile of what is in view, padded).

import type { Point } from '../../common/m4';

export interface Range {
  min: number;
  max: number;
}

/** Losses and norms span decades: after a hundred steps a linear axis shows them as a flat line at 0. */
export function logByDefault(series: string): boolean {
  return /^(loss|validationLoss)$|^(gradNorm|weightNorm|updateRatio)\./.test(series);
}

/** The smallest range holding every series' points (each sorted by x); null when there are none. */
export function xExtent(lists: readonly (readonly Point[])[]): Range | null {
  let min = Infinity,
    max = -Infinity;
  for (const pts of lists) {
    if (!pts.length) continue;
    min = Math.min(min, pts[0].x);
    max = Math.max(max, pts[pts.length - 1].x);
  }
  return min <= max ? { min, max } : null;
}

/** The union of ranges (null ones left out). */
export function unionRange(ranges: Iterable<Range | null>): Range | null {
  let out: Range | null = null;
  for (const r of ranges) if (r) out = out ? { min: Math.min(out.min, r.min), max: Math.max(out.max, r.max) } : { ...r };
  return out;
}

/** The q-quantile (0..1) of sorted values, interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (i - lo);
}

/** Quantiles that bound the y axis when outliers are ignored, and the padding added on each side (a share of the span). */
export const OUTLIER_QUANTILES = [0.05, 0.95] as const;
const PAD = 0.1;

/**
 * The y range of the points within `x` (all of them when null), from the
 * 5th to the 95th percentile and padded, so a spike or a diverged first
 * step does not squash the rest of the curve. On a log axis it is taken
 * over log10 of the positive values. Null when fewer than two values count
 * (the chart then fits its data as usual).
 */
export function robustYRange(lists: readonly (readonly Point[])[], x: Range | null, log: boolean): Range | null {
  const v: number[] = [];
  for (const pts of lists)
    for (const p of pts) {
      if (x && (p.x < x.min || p.x > x.max)) continue;
      if (!Number.isFinite(p.y) || (log && p.y <= 0)) continue;
      v.push(log ? Math.log10(p.y) : p.y);
    }
  if (v.length < 2) return null;
  v.sort((a, b) => a - b);
  let lo = quantile(v, OUTLIER_QUANTILES[0]),
    hi = quantile(v, OUTLIER_QUANTILES[1]);
  const span = hi - lo || Math.abs(hi) || 1;
  lo -= PAD * span;
  hi += PAD * span;
  return log ? { min: 10 ** lo, max: 10 ** hi } : { min: lo, max: hi };
}

/** A fixed bound wins over the robust one (saturation stays within 0..1). */
export function clampRange(r: Range | null, lower: number | null, upper: number | null): Range | null {
  if (!r) return null;
  return { min: lower === null ? r.min : Math.max(lower, r.min), max: upper === null ? r.max : Math.min(upper, r.max) };
}

/**
 * Tick values for a log axis from min to max: the powers of ten and the 2s
 * and 5s between them; every 1..9 × 10^k when that gives fewer than three;
 * only the powers when it gives more than `limit` (every other one dropped
 * until they fit). Empty
 * when not even two fall in range (the axis keeps chart.js's own ticks).
 */
export function logTicks(min: number, max: number, limit = 7): number[] {
  if (!(min > 0 && max > min)) return [];
  const within = (mantissas: number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
      for (const m of mantissas) {
        // rounded to the decimal places the power needs, so 0.1 × 3 reads 0.3, not 0.30000000000000004
        const v = Number((m * 10 ** e).toPrecision(12));
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) out.push(v);
      }
    return out;
  };
  let ticks = within([1, 2, 5]);
  if (ticks.length < 3) ticks = within([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  else if (ticks.length > limit) ticks = within([1]);
  while (ticks.length > limit) ticks = ticks.filter((_, i) => i % 2 === 0);
  return ticks.length >= 2 ? ticks : [];
}
