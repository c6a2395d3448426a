// A run's training time at any step, from its `wallMs` series. wallMs counts
// from the start of each segment (it restarts at 0 when a run is resumed),
// so segments are chained into one cumulative clock; between stored points
// the time is interpolated linearly.

export function wallClock(steps: readonly number[], wallMs: readonly number[]): (step: number) => number {
  const n = steps.length;
  const cum = new Float64Array(n);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && wallMs[i] < wallMs[i - 1]) offset = cum[i - 1];
    cum[i] = offset + (Number.isFinite(wallMs[i]) ? wallMs[i] : 0);
  }
  return (step: number) => {
    if (n === 0) return Number.NaN;
    if (step <= steps[0]) return cum[0];
    if (step >= steps[n - 1]) return cum[n - 1];
    let lo = 0,
      hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (steps[mid] <= step) lo = mid;
      else hi = mid;
    }
    const t = (step - steps[lo]) / (steps[hi] - steps[lo] || 1);
    return cum[lo] + t * (cum[hi] - cum[lo]);
  };
}
