// Histograms with a fixed layout, so that the histograms of one matrix taken
// at successive evaluations stack into one chart: the range is symmetric,
// [−R, R] with R a power of two, and the bins (a power-of-two count) are equal. A histogram on a
// larger power-of-two range is obtained from one on a smaller range exactly,
// by merging neighbouring bins (rebin), so any two can be brought to a
// common layout.
//
// Bin edges sit at multiples of the width w = 2R/bins, with 0 an edge. Each
// bin is closed on the side away from zero: the positive bins are
// [0, w], (w, 2w], …, (R − w, R] and the negative ones [−w, 0), …, [−R, −R + w).
// With that rule every bin of a range R lies inside one bin of any larger
// range 2^m·R, which is what makes rebin exact, and ±R fall inside the
// outermost bins. ±Infinity are counted in under/over; NaN in `nan`.

import type { Histogram } from '../../../common/contract';
import { checkSpan } from './span';

/** A Histogram that also counts the NaN values it was given. */
export interface ValueHistogram extends Histogram {
  nan: number;
}

/** The smallest range ever used: an all-zero matrix gets [−2^−30, 2^−30]. */
export const MIN_RANGE = 2 ** -30;
/** The largest power of two below Number.MAX_VALUE; larger finite values land in under/over. */
const MAX_RANGE = 2 ** 1023;

/**
 * Histogram of values[from, from + length) over [−R, R] with R the smallest
 * power of two ≥ max |v| over the finite values (at least MIN_RANGE).
 */
export function histogram(values: ArrayLike<number>, from: number, length: number, bins = 64): ValueHistogram {
  checkSpan('histogram', values, from, length);
  checkBins('histogram', bins);
  let max = 0;
  for (let i = from; i < from + length; i++) {
    const a = Math.abs(values[i]);
    if (a > max && a !== Infinity) max = a;
  }
  return histogramOnRange(values, from, length, bins, powerOfTwoRange(max));
}

/** The same layout on a range the caller chooses (R a power of two ≥ MIN_RANGE). */
export function histogramOnRange(values: ArrayLike<number>, from: number, length: number, bins: number, R: number): ValueHistogram {
  checkSpan('histogramOnRange', values, from, length);
  checkBins('histogramOnRange', bins);
  checkRange('histogramOnRange', R);
  const half = bins / 2;
  // R and bins are powers of two, so w is one too and v / w is exact: a value
  // on an edge is never rounded into the neighbouring bin.
  const w = R / half;
  const counts = new Array<number>(bins).fill(0);
  let under = 0;
  let over = 0;
  let nan = 0;
  for (let i = from; i < from + length; i++) {
    const v = values[i];
    if (v > R) over++;
    else if (v < -R) under++;
    else if (v >= 0) {
      // (j·w, (j+1)·w] → bin half + j; 0 joins the first positive bin. The
      // max(…, 1) catches a tiny positive v whose quotient underflows to 0.
      counts[half + Math.max(Math.ceil(v / w), 1) - 1]++;
    } else if (v < 0) {
      counts[half - Math.max(Math.ceil(-v / w), 1)]++;
    } else nan++;
  }
  return { lo: -R, hi: R, counts, under, over, nan };
}

/**
 * h re-expressed on [−R, R] for a power of two R ≥ h.hi: each new bin is
 * the union of 2^m old bins (m = log2(R / h.hi)), as if pairs of bins were
 * merged m times, and the old range sits in the middle of the new one.
 * under, over and nan carry over unchanged.
 */
export function rebin<H extends Histogram>(h: H, R: number): H {
  const bins = h.counts.length;
  checkBins('rebin', bins);
  checkRange("rebin (the histogram's hi)", h.hi);
  if (h.lo !== -h.hi) throw new RangeError(`rebin: h must be symmetric, got [${h.lo}, ${h.hi}]`);
  checkRange('rebin', R);
  if (R < h.hi) throw new RangeError(`rebin: R = ${R} is smaller than the histogram's range ${h.hi}`);
  const factor = R / h.hi;
  const half = bins / 2;
  const counts = new Array<number>(bins).fill(0);
  for (let j = 0; j < bins; j++) {
    // Old bin j spans [(j − half)·w, (j − half + 1)·w]; the new bins are
    // factor times wider with the same edge at 0.
    counts[half + Math.floor((j - half) / factor)] += h.counts[j];
  }
  return { ...h, lo: -R, hi: R, counts };
}

/** The smallest power of two ≥ max (for max ≥ 0), clamped to [MIN_RANGE, 2^1023]. */
export function powerOfTwoRange(max: number): number {
  if (!(max > MIN_RANGE)) return MIN_RANGE;
  if (max >= MAX_RANGE) return MAX_RANGE;
  let R = 2 ** Math.ceil(Math.log2(max));
  // log2 can be off by one ulp near a power of two; settle it exactly.
  while (R < max) R *= 2;
  while (R / 2 >= max) R /= 2;
  return R;
}

function checkBins(fn: string, bins: number): void {
  if (!Number.isInteger(bins) || bins < 2 || bins > 2 ** 24 || (bins & (bins - 1)) !== 0) {
    throw new RangeError(`${fn}: bins must be a power of two from 2 to 2^24, got ${bins}`);
  }
}

function checkRange(fn: string, R: number): void {
  if (!(R >= MIN_RANGE && R <= MAX_RANGE) || 2 ** Math.round(Math.log2(R)) !== R) {
    throw new RangeError(`${fn}: R must be a power of two in [2^-30, 2^1023], got ${R}`);
  }
}
