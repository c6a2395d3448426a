// Exponential moving average for the smoothed loss line, debiased the way
// TensorBoard does (divide by 1 − w^k so the start is not dragged to zero).
// The weight is per point: on downsampled data it smooths over buckets.
// Non-finite values pass through as gaps and do not poison the average.

import type { Point } from '../../common/m4';

export function ema(points: readonly Point[], weight: number): Point[] {
  const out: Point[] = new Array(points.length);
  if (weight <= 0) {
    for (let i = 0; i < points.length; i++) out[i] = { x: points[i].x, y: points[i].y };
    return out;
  }
  let acc = 0,
    k = 0;
  for (let i = 0; i < points.length; i++) {
    const { x, y } = points[i];
    if (!Number.isFinite(y)) {
      out[i] = { x, y: Number.NaN };
      continue;
    }
    acc = acc * weight + (1 - weight) * y;
    k++;
    out[i] = { x, y: acc / (1 - Math.pow(weight, k)) };
  }
  return out;
}
