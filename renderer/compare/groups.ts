// Runs grouped by one config field (seeds of one learning rate, say): the
// group's mean and its min–max band at shared x. Each run's points are
// interpolated linearly onto the group's x values and count only inside
// the run's own range, so a run that ended early (diverged, stopped) does
// not drag the mean to its last value; non-finite values are left out.

import type { Point } from '../../common/m4';
import { showLeaf, type Leaf } from '../../common/config-leaves';

export interface RunGroup {
  /** The field's value, as the legend shows it. */
  label: string;
  ids: number[];
}

/** Runs by the value of a field, groups in the order their first run comes. */
export function groupRuns(ids: readonly number[], valueOf: (id: number) => Leaf | undefined): RunGroup[] {
  const groups = new Map<string, number[]>();
  for (const id of ids) {
    const label = showLeaf(valueOf(id));
    const list = groups.get(label);
    if (list) list.push(id);
    else groups.set(label, [id]);
  }
  return [...groups].map(([label, list]) => ({ label, ids: list }));
}

export interface Band {
  mean: Point[];
  min: Point[];
  max: Point[];
}

/** The value of a run's points at x (linear between its neighbours), or NaN outside its range. */
function valueAt(points: readonly Point[], x: number): number {
  let lo = 0,
    hi = points.length - 1;
  if (hi < 0 || x < points[0].x || x > points[hi].x) return Number.NaN;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid;
    else hi = mid;
  }
  const a = points[lo],
    b = points[hi];
  if (a.x === x) return a.y;
  if (b.x === x || b.x === a.x) return b.y;
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}

/** Mean and min–max of the runs' series at the union of their x values (at most `maxPoints`, evenly picked). */
export function aggregate(series: readonly (readonly Point[])[], maxPoints = 400): Band {
  const xs = [...new Set(series.flatMap((s) => s.map((p) => p.x)))].sort((a, b) => a - b);
  const grid =
    xs.length <= maxPoints ? xs : Array.from({ length: maxPoints }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (maxPoints - 1))]);
  const band: Band = { mean: [], min: [], max: [] };
  for (const x of grid) {
    let sum = 0,
      n = 0,
      lo = Infinity,
      hi = -Infinity;
    for (const s of series) {
      const y = valueAt(s, x);
      if (!Number.isFinite(y)) continue;
      sum += y;
      n++;
      lo = Math.min(lo, y);
      hi = Math.max(hi, y);
    }
    if (n === 0) continue;
    band.mean.push({ x, y: sum / n });
    band.min.push({ x, y: lo });
    band.max.push({ x, y: hi });
  }
  return band;
}
