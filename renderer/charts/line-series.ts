// What a line chart draws: named point series with a style. Points are
// shared with the stores' buffers and never copied into reactive state.

import type { Point } from '../../common/m4';

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
