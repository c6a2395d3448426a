// One live series for a chart: the stored history (already M4-downsampled by
// the store) followed by the points streamed since. It is plain data, never
// reactive: charts read it on a throttled redraw. When it grows past twice
// its budget it compacts itself with M4 back to the budget, so a long run
// costs bounded memory and redraw time and keeps every spike.

import { m4, type Point } from '../../common/m4';

export class SeriesBuffer {
  points: Point[] = [];

  /** budget: points kept after a compaction (about twice the chart's width in pixels). */
  constructor(readonly budget: number) {}

  get lastX(): number {
    return this.points.length ? this.points[this.points.length - 1].x : -Infinity;
  }

  get last(): Point | null {
    return this.points.length ? this.points[this.points.length - 1] : null;
  }

  reset(points: Point[]): void {
    this.points = points;
  }

  /** Add a point after the last one (points at or before it were already loaded). */
  push(x: number, y: number): void {
    if (x <= this.lastX) return;
    this.points.push({ x, y });
    if (this.points.length > 2 * this.budget) this.points = m4(this.points, Math.floor(this.budget / 4));
  }
}
