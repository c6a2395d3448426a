// M4 downsampling (Jugel et al., "M4: a visualization-oriented time series
// data aggregation", VLDB 2014): cut the step range into buckets and keep,
// per bucket, the first, minimum, maximum and last point. Drawn as a line,
// these points cover exactly the pixels the raw data would; in particular
// every spike survives. A bucket can be fed single points or whole chunk
// summaries; NaN values count for first/last (a chart gap) but never for
// min/max. The store downsamples stored series with it, the renderer
// compacts live series with it (m4 below).

import type { SeriesPoints } from './contract';

/** Points per bucket. */
export const M4_POINTS = 4;

/**
 * Bucket width in steps so that [lo, hi] touches at most
 * floor(maxPoints / 4) buckets of the grid floor(step / width). With
 * `chunkSteps`, widths of a chunk or more are rounded up to whole chunks,
 * so that chunks (which never cross a multiple of chunkSteps) never straddle
 * a bucket boundary and their summaries can stand in for their values.
 */
export function bucketWidth(lo: number, hi: number, maxPoints: number, chunkSteps: number): number {
  const buckets = Math.floor(maxPoints / M4_POINTS);
  // A range of `span` steps on a grid of width w touches at most
  // ceil(span / w) + 1 buckets, so w >= span / (buckets - 1) is enough.
  let width = buckets >= 2 ? Math.ceil((hi - lo + 1) / (buckets - 1)) : hi + 1;
  if (width >= chunkSteps) width = Math.ceil(width / chunkSteps) * chunkSteps;
  return Math.max(1, width);
}

export class M4Buckets {
  private readonly origin: number;
  private readonly has: Uint8Array;
  private readonly firstStep: Float64Array;
  private readonly firstVal: Float64Array;
  private readonly lastStep: Float64Array;
  private readonly lastVal: Float64Array;
  private readonly minStep: Float64Array;
  private readonly minVal: Float64Array;
  private readonly maxStep: Float64Array;
  private readonly maxVal: Float64Array;

  constructor(
    lo: number,
    hi: number,
    readonly width: number,
  ) {
    this.origin = Math.floor(lo / width);
    const n = Math.floor(hi / width) - this.origin + 1;
    this.has = new Uint8Array(n);
    this.firstStep = new Float64Array(n);
    this.firstVal = new Float64Array(n);
    this.lastStep = new Float64Array(n);
    this.lastVal = new Float64Array(n);
    // -1 marks "no non-NaN value seen yet".
    this.minStep = new Float64Array(n).fill(-1);
    this.minVal = new Float64Array(n);
    this.maxStep = new Float64Array(n).fill(-1);
    this.maxVal = new Float64Array(n);
  }

  addPoint(step: number, value: number): void {
    this.add(step, value, step, value, step, value, step, value);
  }

  /**
   * Adds values[start..end) of a run of consecutive steps beginning at
   * `firstStep`: each stretch inside one bucket is scanned in a flat loop
   * and added as one span.
   */
  addValues(firstStep: number, values: Float64Array, start: number, end: number): void {
    const w = this.width;
    let k = start;
    while (k < end) {
      const bucketEnd = (Math.floor((firstStep + k) / w) + 1) * w - firstStep;
      const segEnd = Math.min(end, bucketEnd);
      let minK = -1;
      let maxK = -1;
      for (let j = k; j < segEnd; j++) {
        const v = values[j];
        if (v !== v) continue;
        if (minK < 0 || v < values[minK]) minK = j;
        if (maxK < 0 || v > values[maxK]) maxK = j;
      }
      this.add(
        firstStep + k,
        values[k],
        firstStep + segEnd - 1,
        values[segEnd - 1],
        minK < 0 ? -1 : firstStep + minK,
        minK < 0 ? Number.NaN : values[minK],
        maxK < 0 ? -1 : firstStep + maxK,
        maxK < 0 ? Number.NaN : values[maxK],
      );
      k = segEnd;
    }
  }

  /**
   * Adds a span of points, all in one bucket, known by its first and last
   * point and its extremes (minStep < 0 when every value is NaN).
   */
  add(fStep: number, fVal: number, lStep: number, lVal: number, minStep: number, minVal: number, maxStep: number, maxVal: number): void {
    const b = Math.floor(fStep / this.width) - this.origin;
    if (this.has[b] === 0) {
      this.has[b] = 1;
      this.firstStep[b] = fStep;
      this.firstVal[b] = fVal;
      this.lastStep[b] = lStep;
      this.lastVal[b] = lVal;
    } else {
      if (fStep < this.firstStep[b]) {
        this.firstStep[b] = fStep;
        this.firstVal[b] = fVal;
      }
      if (lStep > this.lastStep[b]) {
        this.lastStep[b] = lStep;
        this.lastVal[b] = lVal;
      }
    }
    if (minStep >= 0 && minVal === minVal && (this.minStep[b] < 0 || minVal < this.minVal[b])) {
      this.minStep[b] = minStep;
      this.minVal[b] = minVal;
    }
    if (maxStep >= 0 && maxVal === maxVal && (this.maxStep[b] < 0 || maxVal > this.maxVal[b])) {
      this.maxStep[b] = maxStep;
      this.maxVal[b] = maxVal;
    }
  }

  /** Each bucket's up-to-four points, in step order, without repeating a step. */
  points(): SeriesPoints {
    const steps: number[] = [];
    const values: number[] = [];
    const s = [0, 0, 0, 0];
    const v = [0, 0, 0, 0];
    let n = 0;
    // Insertion into the bucket's few points, kept sorted by step.
    const put = (step: number, value: number): void => {
      for (let k = 0; k < n; k++) if (s[k] === step) return;
      let k = n;
      while (k > 0 && s[k - 1] > step) {
        s[k] = s[k - 1];
        v[k] = v[k - 1];
        k--;
      }
      s[k] = step;
      v[k] = value;
      n++;
    };
    for (let b = 0; b < this.has.length; b++) {
      if (this.has[b] === 0) continue;
      n = 0;
      put(this.firstStep[b], this.firstVal[b]);
      if (this.minStep[b] >= 0) put(this.minStep[b], this.minVal[b]);
      if (this.maxStep[b] >= 0) put(this.maxStep[b], this.maxVal[b]);
      put(this.lastStep[b], this.lastVal[b]);
      for (let k = 0; k < n; k++) {
        steps.push(s[k]);
        values.push(v[k]);
      }
    }
    return { steps, values, downsampled: true, bucketSteps: this.width };
  }
}

/** A chart point: x is the step. */
export interface Point {
  x: number;
  y: number;
}

/**
 * M4 over points in step order, into at most 4 · buckets points; a series
 * no longer than that comes back as a copy.
 */
export function m4(points: readonly Point[], buckets: number): Point[] {
  const n = points.length;
  if (n <= buckets * M4_POINTS) return points.slice();
  const lo = points[0].x;
  const hi = points[n - 1].x;
  const grid = new M4Buckets(lo, hi, bucketWidth(lo, hi, buckets * M4_POINTS, Number.POSITIVE_INFINITY));
  for (const p of points) grid.addPoint(p.x, p.y);
  const { steps, values } = grid.points();
  return steps.map((x, i) => ({ x, y: values[i] }));
}
