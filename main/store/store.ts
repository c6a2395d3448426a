// The application's persistence: one SQLite file, written only by main.
// A worker's progress batch is stored in one transaction, so after a crash
// the file holds whole batches or nothing of them.

import type Database from 'better-sqlite3';
import type { Checkpoint, EvalMetrics, GradCheckReport, RunParams, StepMetrics } from '../../common/contract';
import { Checkpoints } from './checkpoints';
import { StoreError } from './errors';
import { Evals } from './evals';
import { GradChecks } from './gradchecks';
import { MetricChunks } from './metric-chunks';
import { openDatabase, openDatabaseReadOnly, type OpenOptions } from './open';
import { newOwnerIdentity, ownedElsewhere, Owners, SWEEPS, type OwnerIdentity, type OwnerRequest, type RunOwner } from './owners';
import { Runs } from './runs';
import { ACTIVE_STATUSES } from '../../common/statuses';
import { checkSeriesName, splitSteps } from './series';
import { SeriesReader } from './series-reader';
import { Referees } from './referees';
import { Sweeps } from './sweeps';
import type {
  NewRun,
  ProgressBatch,
  ReadSeriesOptions,
  RunFilter,
  RunPatch,
  RunRecord,
  RunStatus,
  RunSummary,
  SeriesPoints,
  SnapshotInfo,
  StoredGradCheck,
} from './types';

export interface StoreOptions extends OpenOptions {
  /** Clock for timestamps (ms since the epoch); tests pin it. */
  now?: () => number;
  /** What this process is, in messages that name who trains a run (default "rnn-workbench"). */
  ownerLabel?: string;
  /** How old another process's heartbeat may be before its runs count as abandoned (ms; default 30 s). */
  ownerStaleMs?: number;
}

/** Where a run stands, for noticing what other processes changed. */
export interface RunState {
  id: number;
  status: RunStatus;
  updatedAt: number;
  lastStep: number | null;
}

export class Store {
  private readonly runs: Runs;
  private readonly chunks: MetricChunks;
  private readonly evals: Evals;
  private readonly checkpoints: Checkpoints;
  private readonly gradChecks: GradChecks;
  private readonly series: SeriesReader;
  private readonly owners: Owners;
  /** The sweeps and their trials (sweeps.ts). */
  readonly sweeps: Sweeps;
  /** The gradient lab's referee tables (referees.ts). */
  readonly referees: Referees;
  private readonly now: () => number;
  private readonly runStates;
  private readonly activeRuns;

  private constructor(
    private readonly db: Database.Database,
    /** The database file, for messages. */
    readonly path: string,
    options: StoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.owners = new Owners(db, newOwnerIdentity(options.ownerLabel ?? 'rnn-workbench'), options.ownerStaleMs ?? 30_000);
    this.runStates = db.prepare<[], RunState>('SELECT id, status, updated_at AS updatedAt, last_step AS lastStep FROM runs ORDER BY id');
    this.activeRuns = db
      .prepare<RunStatus[], number>(`SELECT id FROM runs WHERE status IN (${ACTIVE_STATUSES.map(() => '?').join(', ')})`)
      .pluck();
    this.runs = new Runs(db);
    this.chunks = new MetricChunks(db);
    this.evals = new Evals(db);
    this.checkpoints = new Checkpoints(db);
    this.gradChecks = new GradChecks(db);
    this.sweeps = new Sweeps(db, this.now, new Owners(db, this.owners.self, options.ownerStaleMs ?? 30_000, SWEEPS));
    this.referees = new Referees(db, this.now);
    this.series = new SeriesReader(this.chunks, (runId, from, to) => this.evals.validationLoss(runId, from, to));
  }

  /** Opens or creates the database; throws StoreError for a file that is not ours or too new. */
  static open(path: string, options: StoreOptions = {}): Store {
    return new Store(openDatabase(path, options), path, options);
  }

  /** Opens an existing, current database for reading only: nothing is created, migrated or written. */
  static openReadOnly(path: string, options: StoreOptions = {}): Store {
    return new Store(openDatabaseReadOnly(path, options), path, options);
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

  /** The run without its config (cheap), or null. */
  getSummary(id: number): RunSummary | null {
    return this.runs.summary(id);
  }

  listRuns(filter?: RunFilter): RunSummary[] {
    return this.runs.list(filter);
  }

  /** The configs of these runs (all when null) as parameters, without their datasets; runs that do not exist are left out. */
  runParams(ids: readonly number[] | null): RunParams[] {
    return this.runs.params(ids);
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

  /**
   * Runs left queued, running or paused by a process that is gone (killed,
   * crashed, or from before owners were recorded) become 'interrupted' and
   * lose their owner; runs a live process trains are left alone. Returns
   * the ids it marked. Safe to call at any time, from any process.
   */
  markInterrupted(): number[] {
    const abandoned = (): number[] => {
      const now = this.now();
      return this.activeRuns.all(...ACTIVE_STATUSES).filter((id) => {
        const owner = this.owners.of(id);
        return owner === null || !this.owners.alive(owner, now);
      });
    };
    if (abandoned().length === 0) return []; // the usual case, checked without taking the write lock
    return this.inTransaction(() => {
      const dead = abandoned();
      for (const id of dead) this.owners.release(id);
      return this.runs.markInterrupted(dead, this.now());
    });
  }

  // ------------------------------------------------------------------ owners

  /** This process, as the owner of the runs it trains. */
  get self(): OwnerIdentity {
    return this.owners.self;
  }

  /** The live process other than this one that trains the run, or null. */
  otherOwner(runId: number): RunOwner | null {
    return this.owners.otherLiveOwner(runId, this.now());
  }

  /** Takes the run for this process and sets its status, in one transaction; refused while another live process holds it. */
  claimRun(runId: number, status: RunStatus): RunSummary {
    return this.inTransaction(() => {
      this.owners.claim(runId, this.now());
      return this.updateRun(runId, { status });
    });
  }

  /**
   * Sets the status (and end message) a run of this process's leaves with,
   * and lets the run go, in one transaction. A run this process no longer
   * holds (deleted, or taken over after this process froze) is not written:
   * null.
   */
  releaseRun(runId: number, patch: RunPatch): RunSummary | null {
    return this.inTransaction(() => {
      if (this.owners.of(runId)?.id !== this.self.id) return null;
      this.owners.release(runId);
      return this.updateRun(runId, patch);
    });
  }

  /**
   * Runs `body` in a transaction only while this process still owns the
   * run: a run taken over by another process (after this one froze past
   * the heartbeat timeout) or deleted is never written to by its old owner.
   */
  asOwner<T>(runId: number, body: () => T): T {
    return this.inTransaction(() => {
      const owner = this.owners.of(runId);
      if (owner?.id !== this.self.id) {
        this.runs.progress(runId); // throws no-such-run for a deleted run
        throw owner === null
          ? new StoreError('owned-elsewhere', `run ${runId} is no longer held by this process`)
          : ownedElsewhere(runId, owner);
      }
      return body();
    });
  }

  /** Proves this process alive for the runs (and sweeps) it holds. */
  heartbeat(): void {
    this.owners.heartbeat(this.now());
    this.sweeps.heartbeat();
  }

  /** Stop, pause and resume requests other processes left for this process's runs (each handed out once). */
  takeRequests(): { runId: number; request: OwnerRequest }[] {
    if (!this.owners.hasRequests()) return []; // the usual case, checked without taking the write lock
    return this.inTransaction(() => this.owners.takeRequests());
  }

  /** Leaves a request for the process that owns the run. */
  requestOfOwner(runId: number, request: OwnerRequest): void {
    this.owners.request(runId, request);
  }

  // ------------------------------------------------------------------ other processes' writes

  /** Changes whenever another connection commits to the file (PRAGMA data_version). */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Every run's id, status, last update and last step, by id. */
  listRunStates(): RunState[] {
    return this.runStates.all();
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

  /** The evals with a step in [from, to]. */
  readEvals(runId: number, from: number, to: number): EvalMetrics[] {
    return this.evals.between(runId, from, to);
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
