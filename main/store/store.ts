// The application's persistence: one SQLite file, written only by main.
// A worker's progress batch is stored in one transaction, so after a crash
// the file holds whole batches or nothing of them.

import type Database from 'better-sqlite3';
import type { Checkpoint, EvalMetrics, GradCheckReport, StepMetrics } from '../contract';
import { Checkpoints } from './checkpoints';
import { StoreError } from './errors';
import { Evals } from './evals';
import { GradChecks } from './gradchecks';
import { MetricChunks } from './metric-chunks';
import { openDatabase, type OpenOptions } from './open';
import { Runs } from './runs';
import { checkSeriesName, splitSteps } from './series';
import { SeriesReader } from './series-reader';
import type {
  NewRun,
  ProgressBatch,
  ReadSeriesOptions,
  RunFilter,
  RunPatch,
  RunRecord,
  RunSummary,
  SeriesPoints,
  SnapshotInfo,
  StoredGradCheck,
} from './types';

export interface StoreOptions extends OpenOptions {
  /** Clock for timestamps (ms since the epoch); tests pin it. */
  now?: () => number;
}

export class Store {
  private readonly runs: Runs;
  private readonly chunks: MetricChunks;
  private readonly evals: Evals;
  private readonly checkpoints: Checkpoints;
  private readonly gradChecks: GradChecks;
  private readonly series: SeriesReader;
  private readonly now: () => number;

  private constructor(
    private readonly db: Database.Database,
    options: StoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.runs = new Runs(db);
    this.chunks = new MetricChunks(db);
    this.evals = new Evals(db);
    this.checkpoints = new Checkpoints(db);
    this.gradChecks = new GradChecks(db);
    this.series = new SeriesReader(this.chunks, (runId, from, to) => this.evals.validationLoss(runId, from, to));
  }

  /** Opens or creates the database; throws StoreError for a file that is not ours or too new. */
  static open(path: string, options: StoreOptions = {}): Store {
    return new Store(openDatabase(path, options), options);
  }

  close(): void {
    this.db.close();
  }

  /** PRAGMA integrity_check: ['ok'] for a sound file, else SQLite's list of problems. */
  integrityCheck(): string[] {
    const rows = this.db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check);
  }

  // ------------------------------------------------------------------ runs

  createRun(input: NewRun): RunRecord {
    const id = this.runs.create(input, this.now());
    return this.mustGet(id);
  }

  getRun(id: number): RunRecord | null {
    return this.runs.get(id);
  }

  listRuns(filter?: RunFilter): RunSummary[] {
    return this.runs.list(filter);
  }

  updateRun(id: number, patch: RunPatch): RunSummary {
    this.runs.update(id, patch, this.now());
    const run = this.runs.summary(id);
    if (run === null) throw new StoreError('no-such-run', `run ${id} does not exist`);
    return run;
  }

  /** Deletes the run and, by cascade, its metrics, evals, snapshots and grad checks. */
  deleteRun(id: number): boolean {
    return this.runs.delete(id);
  }

  /** Marks runs left queued/running/paused by a process that died as 'interrupted'. Call once at startup. */
  markInterrupted(): number[] {
    return this.runs.markInterrupted(this.now());
  }

  // ------------------------------------------------------------------ progress

  /**
   * Stores one progress batch in one transaction: every step's scalars,
   * the evals and the checkpoints, and the run's lastStep and
   * bestValidationLoss. If anything in it is refused, none of it is kept.
   */
  appendProgress(runId: number, batch: ProgressBatch): void {
    for (const field of ['steps', 'evals', 'checkpoints'] as const) {
      if (!Array.isArray(batch[field])) throw new StoreError('invalid-input', `progress batch: ${field} is not an array`);
    }
    this.inTransaction(() => {
      const now = this.now();
      const progress = this.runs.progress(runId);
      const columns = splitSteps(batch.steps, progress.lastStep);
      for (const [series, col] of columns) this.chunks.append(runId, series, col.steps, col.values);
      let best = progress.best;
      batch.evals.forEach((e: EvalMetrics, i) => {
        this.evals.save(runId, e, `evals[${i}]`);
        if (Number.isFinite(e.validationLoss) && (best === null || e.validationLoss < best)) best = e.validationLoss;
      });
      batch.checkpoints.forEach((cp, i) => this.checkpoints.save(runId, cp, now, `checkpoints[${i}]`));
      const lastStep = batch.steps.length > 0 ? batch.steps[batch.steps.length - 1].step : progress.lastStep;
      this.runs.setProgress(runId, lastStep, best, now);
    });
  }

  /** Stores a checkpoint outside a progress batch (the one an `ended` message carries). */
  saveCheckpoint(runId: number, checkpoint: Checkpoint): void {
    this.inTransaction(() => {
      this.runs.progress(runId);
      this.checkpoints.save(runId, checkpoint, this.now());
    });
  }

  /**
   * Drops metrics, evals and snapshots after `step` (for resuming from an
   * earlier snapshot) and recomputes lastStep and bestValidationLoss.
   */
  truncateAfter(runId: number, step: number): void {
    if (!Number.isSafeInteger(step) || step < -1) {
      throw new StoreError('invalid-input', `truncateAfter: step ${step} is not an integer >= -1`);
    }
    this.inTransaction(() => {
      this.runs.progress(runId);
      this.chunks.truncateAfter(runId, step);
      this.evals.deleteAfter(runId, step);
      this.checkpoints.deleteAfter(runId, step);
      this.runs.setProgress(runId, this.chunks.lastStep(runId, 'loss'), this.evals.best(runId), this.now());
    });
  }

  // ------------------------------------------------------------------ reads

  /** A series downsampled to at most maxPoints (M4: first/min/max/last per bucket); raw when it fits. */
  readSeries(runId: number, series: string, options: ReadSeriesOptions): SeriesPoints {
    return this.series.readSeries(runId, checkSeriesName(series), options);
  }

  /** Full StepMetrics for steps from..to (inclusive, at most MAX_READ_STEPS of them). */
  readSteps(runId: number, from: number, to: number): StepMetrics[] {
    return this.series.readSteps(runId, from, to);
  }

  /**
   * The steps [from, to] of the first stored chunk of steps after `after`,
   * or null after the last: reading a whole run this way pages over the
   * chunks that exist, however sparse or large its step numbers are.
   */
  stepPageAfter(runId: number, after: number): { from: number; to: number } | null {
    return this.chunks.rangeAfter(runId, 'loss', after);
  }

  /** The step series the run has values for (gradNorm.b only with a hidden bias, and so on). */
  listSeries(runId: number): string[] {
    return this.chunks.seriesOf(runId);
  }

  evalAt(runId: number, step: number): EvalMetrics | null {
    return this.evals.atOrBefore(runId, step);
  }

  listEvalSteps(runId: number): number[] {
    return this.evals.steps(runId);
  }

  latestCheckpoint(runId: number): Checkpoint | null {
    return this.checkpoints.latest(runId);
  }

  /** The snapshot at `step`, or the last one before it. */
  checkpointAt(runId: number, step: number): Checkpoint | null {
    return this.checkpoints.atOrBefore(runId, step);
  }

  listSnapshots(runId: number): SnapshotInfo[] {
    return this.checkpoints.list(runId);
  }

  // ------------------------------------------------------------------ gradient checks

  saveGradCheck(runId: number, report: GradCheckReport): number {
    return this.inTransaction(() => {
      this.runs.progress(runId);
      return this.gradChecks.save(runId, report, this.now());
    });
  }

  listGradChecks(runId: number): StoredGradCheck[] {
    return this.gradChecks.list(runId);
  }

  // ------------------------------------------------------------------ helpers

  private mustGet(id: number): RunRecord {
    const run = this.runs.get(id);
    if (run === null) throw new StoreError('no-such-run', `run ${id} does not exist`);
    return run;
  }

  /** BEGIN IMMEDIATE: take the write lock up front, so a transaction never fails halfway on a busy lock. */
  private inTransaction<T>(body: () => T): T {
    return this.db.transaction(body).immediate();
  }

  /**
   * Several store calls as one transaction (they nest as savepoints): an
   * import creates its run and writes its history all or nothing.
   */
  atomically<T>(body: () => T): T {
    return this.inTransaction(body);
  }
}
