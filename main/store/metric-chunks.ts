// The metric_chunks table: per (run, series), consecutive steps packed into
// rows of at most CHUNK_STEPS float64 values with a summary (first, last,
// min and max with their steps). Appending extends the run's partial last
// chunk in place and opens new chunks at every multiple of CHUNK_STEPS and
// at every gap in steps.

import type Database from 'better-sqlite3';
import { decodeF64, encodeF64 } from './blob';
import { CHUNK_STEPS } from './series';

/** A chunk's summary; min/max are null when every value is NaN, first/last are NaN-as-null. */
export interface ChunkSummary {
  id: number;
  firstStep: number;
  count: number;
  min: number | null;
  minStep: number | null;
  max: number | null;
  maxStep: number | null;
  first: number | null;
  last: number | null;
}

export interface ChunkValues {
  firstStep: number;
  values: Float64Array;
}

const SUMMARY_COLUMNS =
  'id, first_step AS firstStep, count, v_min AS min, v_min_step AS minStep, v_max AS max, v_max_step AS maxStep, ' +
  'v_first AS first, v_last AS last';

export class MetricChunks {
  private readonly tail;
  private readonly insert;
  private readonly update;
  private readonly summariesIn;
  private readonly valuesIn;
  private readonly valuesById;
  private readonly deleteAfter;
  private readonly straddling;
  private readonly seriesOfRun;
  private readonly chunkAfter;

  constructor(db: Database.Database) {
    this.tail = db.prepare<[number, string], { id: number; firstStep: number; count: number; vals: Buffer }>(
      'SELECT id, first_step AS firstStep, count, vals FROM metric_chunks WHERE run_id = ? AND series = ? ' +
        'ORDER BY first_step DESC LIMIT 1',
    );
    this.insert = db.prepare(
      'INSERT INTO metric_chunks (run_id, series, first_step, count, v_min, v_min_step, v_max, v_max_step, ' +
        'v_first, v_last, vals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.update = db.prepare(
      'UPDATE metric_chunks SET count = ?, v_min = ?, v_min_step = ?, v_max = ?, v_max_step = ?, v_first = ?, ' +
        'v_last = ?, vals = ? WHERE id = ?',
    );
    // A chunk never starts before the multiple of CHUNK_STEPS at or below
    // the step it holds, so "first_step >= aligned(from)" finds every chunk
    // reaching into [from, to] through the unique index.
    this.summariesIn = db.prepare<[number, string, number, number], ChunkSummary>(
      `SELECT ${SUMMARY_COLUMNS} FROM metric_chunks WHERE run_id = ? AND series = ? AND first_step BETWEEN ? AND ? ` +
        'ORDER BY first_step',
    );
    this.valuesIn = db.prepare<[number, string, number, number], { firstStep: number; vals: Buffer }>(
      'SELECT first_step AS firstStep, vals FROM metric_chunks WHERE run_id = ? AND series = ? ' +
        'AND first_step BETWEEN ? AND ? ORDER BY first_step',
    );
    this.valuesById = db.prepare<[number], Buffer>('SELECT vals FROM metric_chunks WHERE id = ?').pluck();
    this.deleteAfter = db.prepare('DELETE FROM metric_chunks WHERE run_id = ? AND first_step > ?');
    this.straddling = db.prepare<[number, number, number], { id: number; firstStep: number; vals: Buffer }>(
      'SELECT id, first_step AS firstStep, vals FROM metric_chunks WHERE run_id = ? AND first_step <= ? ' +
        'AND first_step + count - 1 > ?',
    );
    this.chunkAfter = db.prepare<[number, string, number], { firstStep: number; count: number }>(
      'SELECT first_step AS firstStep, count FROM metric_chunks WHERE run_id = ? AND series = ? AND first_step > ? ' +
        'ORDER BY first_step LIMIT 1',
    );
    this.seriesOfRun = db.prepare<[number], string>('SELECT DISTINCT series FROM metric_chunks WHERE run_id = ? ORDER BY series').pluck();
  }

  /** Appends values at strictly increasing steps, all after the series' last stored step. */
  append(runId: number, series: string, steps: readonly number[], values: readonly number[]): void {
    let i = 0;
    const tail = this.tail.get(runId, series);
    if (tail !== undefined) {
      const end = runEnd(steps, 0, tail.firstStep + tail.count, tail.firstStep);
      if (end > 0) {
        const merged = new Float64Array(tail.count + end);
        merged.set(decodeF64(tail.vals, `metric chunk ${tail.id}`));
        for (let k = 0; k < end; k++) merged[tail.count + k] = values[k];
        const s = summarize(merged, tail.firstStep);
        this.update.run(merged.length, s.min, s.minStep, s.max, s.maxStep, s.first, s.last, encodeF64(merged), tail.id);
        i = end;
      }
    }
    while (i < steps.length) {
      const end = runEnd(steps, i, steps[i], steps[i]);
      const chunk = new Float64Array(end - i);
      for (let k = i; k < end; k++) chunk[k - i] = values[k];
      const s = summarize(chunk, steps[i]);
      this.insert.run(runId, series, steps[i], chunk.length, s.min, s.minStep, s.max, s.maxStep, s.first, s.last, encodeF64(chunk));
      i = end;
    }
  }

  /** Summaries of the series' chunks that hold any step in [from, to], in step order. */
  summaries(runId: number, series: string, from: number, to: number): ChunkSummary[] {
    return this.summariesIn.all(runId, series, alignDown(from), to);
  }

  /** Values of the series' chunks that hold any step in [from, to], in step order. */
  values(runId: number, series: string, from: number, to: number): ChunkValues[] {
    return this.valuesIn.all(runId, series, alignDown(from), to).map((r) => ({
      firstStep: r.firstStep,
      values: decodeF64(r.vals, `${series} chunk at step ${r.firstStep}`),
    }));
  }

  valuesOf(chunk: ChunkSummary): Float64Array {
    const vals = this.valuesById.get(chunk.id);
    if (vals === undefined) throw new Error(`metric chunk ${chunk.id} vanished during a read`);
    return decodeF64(vals, `metric chunk ${chunk.id}`);
  }

  /** The step of the series' last stored value, or null. */
  lastStep(runId: number, series: string): number | null {
    const tail = this.tail.get(runId, series);
    return tail === undefined ? null : tail.firstStep + tail.count - 1;
  }

  /** The steps [from, to] of the series' first chunk starting after `after`, or null: a page of stored steps. */
  rangeAfter(runId: number, series: string, after: number): { from: number; to: number } | null {
    const c = this.chunkAfter.get(runId, series, after);
    return c === undefined ? null : { from: c.firstStep, to: c.firstStep + c.count - 1 };
  }

  seriesOf(runId: number): string[] {
    return this.seriesOfRun.all(runId);
  }

  /** Drops every value after `step`, shortening the chunks that straddle it. */
  truncateAfter(runId: number, step: number): void {
    this.deleteAfter.run(runId, step);
    for (const row of this.straddling.all(runId, step, step)) {
      const kept = decodeF64(row.vals, `metric chunk ${row.id}`).slice(0, step - row.firstStep + 1);
      const s = summarize(kept, row.firstStep);
      this.update.run(kept.length, s.min, s.minStep, s.max, s.maxStep, s.first, s.last, encodeF64(kept), row.id);
    }
  }
}

function alignDown(step: number): number {
  return Math.floor(step / CHUNK_STEPS) * CHUNK_STEPS;
}

/**
 * End (exclusive) of the run of steps from index i that continue the
 * consecutive sequence expected at `next` and stay inside the aligned
 * window of `windowStep`; i itself when steps[i] does not continue it.
 */
function runEnd(steps: readonly number[], i: number, next: number, windowStep: number): number {
  const windowEnd = alignDown(windowStep) + CHUNK_STEPS;
  let k = i;
  while (k < steps.length && steps[k] === next + (k - i) && steps[k] < windowEnd) k++;
  return k;
}

type Summary = Omit<ChunkSummary, 'id' | 'firstStep' | 'count'>;

/** First/last (null for NaN) and min/max over the non-NaN values, with their steps. */
function summarize(values: Float64Array, firstStep: number): Summary {
  let min = Number.NaN;
  let max = Number.NaN;
  let minAt = -1;
  let maxAt = -1;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v !== v) continue;
    if (minAt < 0 || v < min) {
      min = v;
      minAt = k;
    }
    if (maxAt < 0 || v > max) {
      max = v;
      maxAt = k;
    }
  }
  const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
  return {
    min: minAt < 0 ? null : min,
    minStep: minAt < 0 ? null : firstStep + minAt,
    max: maxAt < 0 ? null : max,
    maxStep: maxAt < 0 ? null : firstStep + maxAt,
    first: nanToNull(values[0]),
    last: nanToNull(values[values.length - 1]),
  };
}
