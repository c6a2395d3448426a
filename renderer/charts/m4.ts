// Client-side M4 compaction of a live series (the same rule the store uses
// for stored series): cut the step range into buckets and keep, per bucket,
// the first, minimum, maximum and last point, so no spike is lost when a
// long live run is squeezed to a chart's width. NaN points count as first
// or last (a gap in the line) but never as min or max.

export interface Point {
  x: number;
  y: number;
}

export function m4(points: readonly Point[], buckets: number): Point[] {
  const n = points.length;
  if (n <= buckets * 4 || n === 0) return points.slice();
  const lo = points[0].x,
    hi = points[n - 1].x;
  const width = Math.max(1, Math.ceil((hi - lo + 1) / buckets));
  const out: Point[] = [];
  let i = 0;
  while (i < n) {
    const bucket = Math.floor((points[i].x - lo) / width);
    const first = i;
    let min = -1,
      max = -1;
    while (i < n && Math.floor((points[i].x - lo) / width) === bucket) {
      const y = points[i].y;
      if (!Number.isNaN(y)) {
        if (min < 0 || y < points[min].y) min = i;
        if (max < 0 || y > points[max].y) max = i;
      }
      i++;
    }
    const last = i - 1;
    const keep = [first, min, max, last].filter((k) => k >= 0).sort((a, b) => a - b);
    let prev = -1;
    for (const k of keep) {
      if (k !== prev) out.push(points[k]);
      prev = k;
    }
  }
  return out;
}
