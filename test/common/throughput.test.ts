// Throughput over a sliding window of wall-clock time: what a run really
// does (the gaps between steps included), steady between refreshes.

import { describe, expect, it } from 'vitest';
import { RateWindow, recentRate } from '../../common/throughput';

/** Steps of `kernelMs` each with `gapMs` between them, from `t`; returns the time after the last. */
function feed(w: RateWindow, t: number, n: number, kernelMs: number, gapMs: number, count: number): number {
  for (let i = 0; i < n; i++) {
    w.add(t, t + kernelMs, count);
    t += kernelMs + gapMs;
  }
  return t;
}

describe('RateWindow', () => {
  it('counts the time between steps, not just the kernel time', () => {
    const w = new RateWindow(2000);
    // 0.1 ms of kernel, 0.9 ms elsewhere: the kernel alone would say 10× too much
    feed(w, 0, 5000, 0.1, 0.9, 20);
    expect(w.perSecond()).toBeCloseTo(20_000, -1);
  });

  it('is steady from one reading to the next when steps vary', () => {
    const w = new RateWindow(2000);
    let t = 0;
    const readings: number[] = [];
    // steps alternate between fast and slow (an evaluation every other step)
    for (let i = 0; i < 40; i++) {
      t = feed(w, t, 50, 0.5, 0.5, 10);
      t = feed(w, t, 50, 0.5, 1.5, 10);
      readings.push(w.perSecond());
    }
    const late = readings.slice(10);
    expect(Math.max(...late) / Math.min(...late)).toBeLessThan(1.05);
  });

  it('follows a change of speed within the window', () => {
    const w = new RateWindow(1000);
    const t = feed(w, 0, 1000, 1, 0, 1);
    expect(w.perSecond()).toBeCloseTo(1000, 0);
    feed(w, t, 2000, 0.5, 0, 1);
    expect(w.perSecond()).toBeCloseTo(2000, 0);
  });

  it('starts afresh after a pause or when the clock goes back (a resumed run)', () => {
    const w = new RateWindow(1000);
    const t = feed(w, 0, 100, 1, 0, 1);
    // paused for a minute: the pause is not slowness
    feed(w, t + 60_000, 100, 2, 0, 1);
    expect(w.perSecond()).toBeCloseTo(500, 6);
    feed(w, 0, 100, 4, 0, 1);
    expect(w.perSecond()).toBeCloseTo(250, 6);
  });

  it('says NaN before any work', () => {
    expect(new RateWindow().perSecond()).toBeNaN();
  });
});

describe('recentRate', () => {
  it('is the rate of the window at the end of a (steps, clock) series', () => {
    // 1 step/ms for a second, then 2 steps/ms for three
    const pts = [];
    let x = 0;
    for (let t = 0; t <= 4000; t++) {
      pts.push({ x, y: t });
      x += t < 1000 ? 1 : 2;
    }
    expect(recentRate(pts, 2000)).toBeCloseTo(2000, 6);
    expect(recentRate(pts, 10_000)).toBeCloseTo((x - 2) / 4, 0);
  });

  it('counts only the tail since the clock went back (a resumed run)', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 100, y: 1000 },
      { x: 101, y: 0 },
      { x: 111, y: 1000 },
    ];
    expect(recentRate(pts)).toBeCloseTo(10, 6);
    expect(recentRate(pts.slice(0, 1))).toBeNaN();
  });
});
