// Reading metrics back: downsampled series for charts (readSeries) and full
// StepMetrics rows for a small range (readSteps, for tables and CSV).
//
// readSeries cost: when a bucket spans whole chunks (width >= CHUNK_STEPS,
// rounded to whole chunks), only the chunk summaries are read, plus the
// values of at most the two chunks cut by the range's ends; otherwise the
// buckets are narrower than a chunk, so at most maxPoints / 4 * CHUNK_STEPS
// raw values are scanned. Either way the work is bounded by maxPoints, not
// by the length of the run.

import type { StepMetrics } from '../../common/contract';
import { bucketWidth, M4Buckets } from '../../common/m4';
import { StoreError } from './errors';
import type { MetricChunks } from './metric-chunks';
import { STEP_SERIES, type SeriesName, type StepSeries } from '../../common/series';
import { assembleSteps, CHUNK_STEPS, type DenseColumn } from './series';
import type { ReadSeriesOptions, SeriesPoints } from './types';

/** The largest range readSteps returns at once; page through longer ones. */
export const MAX_READ_STEPS = 100_000;

export type PointSource = (runId: number, from: number, to: number) => { steps: number[]; values: number[] };

export class SeriesReader {
  constructor(
    private readonly chunks: MetricChunks,
    /** Raw (step, validation loss) points from the eval rows. */
    private readonly validationLoss: PointSource,
  ) {}

  readSeries(runId: number, series: SeriesName, options: ReadSeriesOptions): SeriesPoints {
    const { from, to, maxPoints } = checkOptions(options);
    if (series === 'validationLoss') return this.readSparse(this.validationLoss(runId, from, to), maxPoints);

    const summaries = this.chunks.summaries(runId, series, from, to);
    if (summaries.length === 0) return empty();
    const last = summaries[summaries.length - 1];
    const lo = Math.max(from, summaries[0].firstStep);
    const hi = Math.min(to, last.firstStep + last.count - 1);
    let total = 0;
    for (const c of summaries) total += Math.max(0, Math.min(hi, c.firstStep + c.count - 1) - Math.max(lo, c.firstStep) + 1);
    if (total === 0) return empty();

    if (total <= maxPoints) {
      const steps: number[] = [];
      const values: number[] = [];
      for (const c of this.chunks.values(runId, series, lo, hi)) {
        forEachInRange(c.firstStep, c.values, lo, hi, (step, v) => {
          steps.push(step);
          values.push(v);
        });
      }
      return { steps, values, downsampled: false, bucketSteps: 1 };
    }

    const width = bucketWidth(lo, hi, maxPoints, CHUNK_STEPS);
    const m4 = new M4Buckets(lo, hi, width);
    if (width >= CHUNK_STEPS) {
      for (const c of summaries) {
        const cLast = c.firstStep + c.count - 1;
        if (c.firstStep >= lo && cLast <= hi) {
          m4.add(
            c.firstStep,
            c.first ?? Number.NaN,
            cLast,
            c.last ?? Number.NaN,
            c.minStep ?? -1,
            c.min ?? Number.NaN,
            c.maxStep ?? -1,
            c.max ?? Number.NaN,
          );
        } else if (cLast >= lo && c.firstStep <= hi) {
          addInRange(m4, c.firstStep, this.chunks.valuesOf(c), lo, hi);
        }
      }
    } else {
      for (const c of this.chunks.values(runId, series, lo, hi)) addInRange(m4, c.firstStep, c.values, lo, hi);
    }
    return m4.points();
  }

  readSteps(runId: number, from: number, to: number): StepMetrics[] {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
      throw new StoreError('invalid-input', `readSteps: from (${from}) and to (${to}) must be integers with 0 <= from <= to`);
    }
    if (to - from + 1 > MAX_READ_STEPS) {
      throw new StoreError('invalid-input', `readSteps: ${to - from + 1} steps requested; read at most ${MAX_READ_STEPS} at a time`);
    }
    const length = to - from + 1;
    const columns = new Map<StepSeries, DenseColumn>();
    for (const series of STEP_SERIES) {
      const chunks = this.chunks.values(runId, series, from, to);
      if (chunks.length === 0) continue;
      const col: DenseColumn = { values: new Float64Array(length), present: new Uint8Array(length) };
      for (const c of chunks) {
        forEachInRange(c.firstStep, c.values, from, to, (step, v) => {
          col.values[step - from] = v;
          col.present[step - from] = 1;
        });
      }
      columns.set(series, col);
    }
    return assembleSteps(from, length, columns);
  }

  private readSparse(points: { steps: number[]; values: number[] }, maxPoints: number): SeriesPoints {
    const { steps, values } = points;
    if (steps.length <= maxPoints) return { steps, values, downsampled: false, bucketSteps: 1 };
    const lo = steps[0];
    const hi = steps[steps.length - 1];
    const m4 = new M4Buckets(lo, hi, bucketWidth(lo, hi, maxPoints, Number.POSITIVE_INFINITY));
    for (let i = 0; i < steps.length; i++) m4.addPoint(steps[i], values[i]);
    return m4.points();
  }
}

function checkOptions(options: ReadSeriesOptions): { from: number; to: number; maxPoints: number } {
  const from = options.from ?? 0;
  const to = options.to ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
    throw new StoreError('invalid-input', `readSeries: from (${from}) and to (${to}) must be integers with 0 <= from <= to`);
  }
  if (!Number.isSafeInteger(options.maxPoints) || options.maxPoints < 4) {
    throw new StoreError('invalid-input', `readSeries: maxPoints (${options.maxPoints}) must be an integer of at least 4`);
  }
  return { from, to, maxPoints: options.maxPoints };
}

function forEachInRange(
  firstStep: number,
  values: Float64Array,
  lo: number,
  hi: number,
  visit: (step: number, value: number) => void,
): void {
  const start = Math.max(0, lo - firstStep);
  const end = Math.min(values.length, hi - firstStep + 1);
  for (let k = start; k < end; k++) visit(firstStep + k, values[k]);
}

function addInRange(m4: M4Buckets, firstStep: number, values: Float64Array, lo: number, hi: number): void {
  const start = Math.max(0, lo - firstStep);
  const end = Math.min(values.length, hi - firstStep + 1);
  if (start < end) m4.addValues(firstStep, values, start, end);
}

function empty(): SeriesPoints {
  return { steps: [], values: [], downsampled: false, bucketSteps: 1 };
}
