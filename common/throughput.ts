// Throughput measured by the wall clock over a sliding window: the work done
// (time steps, or optimizer steps) in the last `windowMs` of real time,
// divided by that time. Everything between two steps (evaluations,
// snapshots, sending progress, yielding to messages) counts, so the figure
// is what a run really does, not one step's kernel time; the window makes it
// steady from one refresh to the next. A gap longer than the window (a pause)
// or a clock that goes back (a resumed run's wallMs restarts at 0) starts a
// fresh window, so paused time never reads as slowness.

export class RateWindow {
  private times: number[] = [];
  /** Work done up to times[i], counted from the window's first entry. */
  private totals: number[] = [];
  private head = 0;

  constructor(readonly windowMs = 2000) {}

  /** Work `count` done between `startMs` and `endMs` (the same clock as every other call). */
  add(startMs: number, endMs: number, count: number): void {
    const n = this.times.length;
    const lastEnd = n > this.head ? this.times[n - 1] : Number.NaN;
    if (!(startMs >= lastEnd && startMs - lastEnd <= this.windowMs)) {
      this.times = [startMs];
      this.totals = [0];
      this.head = 0;
    }
    this.times.push(endMs);
    this.totals.push(this.totals[this.totals.length - 1] + count);
    // keep one entry at or before the window's start, so the window is always full once it can be
    while (this.head + 1 < this.times.length - 1 && endMs - this.times[this.head + 1] >= this.windowMs) this.head++;
    if (this.head > 1024 && this.head > this.times.length / 2) {
      this.times = this.times.slice(this.head);
      this.totals = this.totals.slice(this.head);
      this.head = 0;
    }
  }

  /** Work per second over the window; NaN before any work or when no time has passed. */
  perSecond(): number {
    const last = this.times.length - 1;
    if (last <= this.head) return Number.NaN;
    const ms = this.times[last] - this.times[this.head];
    return ms > 0 ? ((this.totals[last] - this.totals[this.head]) * 1000) / ms : Number.NaN;
  }
}

/**
 * The rate of the last `windowMs` of a series of (work done so far, clock
 * ms) points, e.g. a run's wallMs by step: steps per second. Only the tail
 * since the clock last went back (a resume) counts.
 */
export function recentRate(points: readonly { x: number; y: number }[], windowMs = 2000): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const end = points[n - 1].y;
  let i = n - 1;
  while (i > 0 && points[i - 1].y <= points[i].y && end - points[i].y < windowMs) i--;
  const w = new RateWindow(windowMs);
  for (let k = i + 1; k < n; k++) w.add(points[k - 1].y, points[k].y, points[k].x - points[k - 1].x);
  return w.perSecond();
}
