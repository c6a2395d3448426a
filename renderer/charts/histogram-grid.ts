// Histograms of one matrix at successive evaluations, brought to one layout
// so they stack into a heatmap (value × time). The engine's histograms are
// symmetric on [−R, R] with R a power of two and a fixed bin count, so a
// bin of a smaller range lies inside exactly one bin of the largest range:
// the rebinning is exact (see native-worker/engine/metrics/histogram.ts).

import type { Histogram } from '../../common/contract';

export interface HistogramGrid {
  /** Rows are bins, top row = highest values; columns are evaluations. Each column sums to 1 (fraction of entries). */
  values: Float64Array;
  rows: number;
  cols: number;
  range: number;
  steps: number[];
}

export function histogramGrid(hists: readonly { step: number; h: Histogram }[]): HistogramGrid | null {
  if (hists.length === 0) return null;
  const rows = Math.max(...hists.map((x) => x.h.counts.length));
  const range = Math.max(...hists.map((x) => Math.max(Math.abs(x.h.lo), Math.abs(x.h.hi))));
  const cols = hists.length;
  const values = new Float64Array(rows * cols);
  const width = (2 * range) / rows;
  hists.forEach(({ h }, c) => {
    const n = h.counts.length;
    const w = (h.hi - h.lo) / n;
    let total = h.under + h.over;
    for (const k of h.counts) total += k;
    if (total === 0) return;
    for (let j = 0; j < n; j++) {
      if (h.counts[j] === 0) continue;
      const mid = h.lo + (j + 0.5) * w;
      const bin = Math.min(rows - 1, Math.max(0, Math.floor((mid + range) / width)));
      values[(rows - 1 - bin) * cols + c] += h.counts[j] / total;
    }
    values[c] += h.over / total;
    values[(rows - 1) * cols + c] += h.under / total;
  });
  return { values, rows, cols, range, steps: hists.map((x) => x.step) };
}
