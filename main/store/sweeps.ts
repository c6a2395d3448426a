// The sweeps, sweep_trials and sweep_rungs tables (migration 005). A sweep's
// spec is stored as validated; its trials are written with it, all at once,
// so a resumed sweep runs exactly the trials it was created with.

import type Database from 'better-sqlite3';
import { z } from 'zod';
import { TRIAL_OUTCOMES, type TrialOutcome } from '../../common/sweep-contract';
import { StoreError } from './errors';
import { parseJson, realOrNaN } from './json';
import type { Owners, RunOwner } from './owners';

export interface SweepRow {
  id: number;
  name: string;
  /** The spec as validated when the sweep was created (JSON). */
  spec: unknown;
  createdAt: number;
  updatedAt: number;
  /** The shared work folder and the scheduler's job id of a sweep sent to a cluster (Slurm), else null. */
  workdir: string | null;
  job: string | null;
}

export interface SweepListItem extends Omit<SweepRow, 'spec' | 'workdir' | 'job'> {
  trials: number;
  completed: number;
  stoppedEarly: number;
  failed: number;
}

export interface TrialRow {
  trial: number;
  params: Record<string, unknown>;
  seed: number | null;
  runId: number | null;
  outcome: TrialOutcome | null;
  reason: string | null;
  /** Where a cluster trained it: the job (array job id and index) and the host, once collected. */
  job: string | null;
  host: string | null;
}

const paramsShape = z.record(z.string(), z.unknown());
const outcomeShape = z.enum(TRIAL_OUTCOMES).nullable();

export class Sweeps {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
    /** Which process runs each sweep (sweep_owners). */
    private readonly owners: Owners,
  ) {}

  /** Takes the sweep for this process; refused (owned-elsewhere, naming the process) while another live process runs it. */
  claim(id: number): void {
    this.db.transaction(() => this.owners.claim(id, this.now())).immediate();
  }

  /** Lets the sweep go, if this process holds it. */
  release(id: number): void {
    this.db
      .transaction(() => {
        if (this.owners.of(id)?.id === this.owners.self.id) this.owners.release(id);
      })
      .immediate();
  }

  /** The live process other than this one that runs the sweep, or null. */
  otherOwner(id: number): RunOwner | null {
    return this.owners.otherLiveOwner(id, this.now());
  }

  /** Proves this process alive for the sweeps it runs. */
  heartbeat(): void {
    this.owners.heartbeat(this.now());
  }

  /** A new sweep with its trials, in one transaction; returns its id. */
  create(name: string, spec: unknown, trials: { params: Record<string, unknown>; seed: number | null }[]): number {
    return this.db
      .transaction(() => {
        const now = this.now();
        const id = Number(
          this.db
            .prepare('INSERT INTO sweeps (name, spec, created_at, updated_at) VALUES (?, ?, ?, ?)')
            .run(name, JSON.stringify(spec), now, now).lastInsertRowid,
        );
        const insert = this.db.prepare('INSERT INTO sweep_trials (sweep_id, trial, params, seed) VALUES (?, ?, ?, ?)');
        trials.forEach((t, i) => insert.run(id, i, JSON.stringify(t.params), t.seed));
        return id;
      })
      .immediate();
  }

  get(id: number): SweepRow | null {
    const row = this.db
      .prepare<[number], Omit<SweepRow, 'spec'> & { spec: string }>(
        'SELECT id, name, spec, created_at AS createdAt, updated_at AS updatedAt, workdir, job FROM sweeps WHERE id = ?',
      )
      .get(id);
    return row ? { ...row, spec: parseJson(row.spec, z.unknown(), `sweep ${id}'s spec`) } : null;
  }

  list(): SweepListItem[] {
    return this.db
      .prepare<[], SweepListItem>(
        'SELECT s.id, s.name, s.created_at AS createdAt, s.updated_at AS updatedAt, count(t.trial) AS trials, ' +
          "count(t.outcome = 'completed' OR NULL) AS completed, count(t.outcome = 'stopped-early' OR NULL) AS stoppedEarly, " +
          "count(t.outcome = 'failed' OR NULL) AS failed " +
          'FROM sweeps s LEFT JOIN sweep_trials t ON t.sweep_id = s.id GROUP BY s.id ORDER BY s.id',
      )
      .all();
  }

  trials(sweepId: number): TrialRow[] {
    const rows = this.db
      .prepare<[number], Omit<TrialRow, 'params' | 'outcome'> & { params: string; outcome: string | null }>(
        'SELECT trial, params, seed, run_id AS runId, outcome, reason, job, host FROM sweep_trials WHERE sweep_id = ? ORDER BY trial',
      )
      .all(sweepId);
    return rows.map((r) => {
      const outcome = outcomeShape.safeParse(r.outcome);
      if (!outcome.success) throw new StoreError('bad-row', `sweep ${sweepId} trial ${r.trial}: unknown outcome "${r.outcome}"`);
      return { ...r, params: parseJson(r.params, paramsShape, `sweep ${sweepId} trial ${r.trial}'s params`), outcome: outcome.data };
    });
  }

  setRun(sweepId: number, trial: number, runId: number): void {
    this.update(sweepId, 'UPDATE sweep_trials SET run_id = ? WHERE sweep_id = ? AND trial = ?', runId, sweepId, trial);
  }

  setOutcome(sweepId: number, trial: number, outcome: TrialOutcome, reason: string | null): void {
    this.update(
      sweepId,
      'UPDATE sweep_trials SET outcome = ?, reason = ? WHERE sweep_id = ? AND trial = ?',
      outcome,
      reason,
      sweepId,
      trial,
    );
  }

  /** A sweep sent to a cluster: its work folder and job id. */
  setJob(sweepId: number, workdir: string, job: string): void {
    this.update(sweepId, 'UPDATE sweeps SET workdir = ?, job = ? WHERE id = ?', workdir, job, sweepId);
  }

  /** A trial trained on a cluster and collected: its run here, its outcome, and where it ran. */
  setCollected(
    sweepId: number,
    trial: number,
    c: { runId: number; outcome: TrialOutcome; reason: string | null; job: string; host: string | null },
  ): void {
    this.update(
      sweepId,
      'UPDATE sweep_trials SET run_id = ?, outcome = ?, reason = ?, job = ?, host = ? WHERE sweep_id = ? AND trial = ?',
      c.runId,
      c.outcome,
      c.reason,
      c.job,
      c.host,
      sweepId,
      trial,
    );
  }

  /** The metric a trial reached at a rung (NaN stored as NULL). */
  recordRung(sweepId: number, trial: number, rung: number, step: number, value: number): void {
    this.update(
      sweepId,
      'INSERT INTO sweep_rungs (sweep_id, trial, rung, step, value) VALUES (?, ?, ?, ?, ?)',
      sweepId,
      trial,
      rung,
      step,
      Number.isNaN(value) ? null : value,
    );
  }

  /** Every value recorded at a rung (NaN for a non-finite one). */
  rungValues(sweepId: number, rung: number): number[] {
    return this.db
      .prepare<[number, number], number | null>('SELECT value FROM sweep_rungs WHERE sweep_id = ? AND rung = ? ORDER BY trial')
      .pluck()
      .all(sweepId, rung)
      .map(realOrNaN);
  }

  /** How many rungs a trial has passed through (the next rung's index). */
  rungsReached(sweepId: number, trial: number): number {
    return this.db
      .prepare<[number, number], number>('SELECT count(*) FROM sweep_rungs WHERE sweep_id = ? AND trial = ?')
      .pluck()
      .get(sweepId, trial)!;
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM sweeps WHERE id = ?').run(id).changes > 0;
  }

  /** Runs the statement and marks the sweep updated, in one transaction. */
  private update(sweepId: number, sql: string, ...args: unknown[]): void {
    this.db
      .transaction(() => {
        this.db.prepare(sql).run(...args);
        this.db.prepare('UPDATE sweeps SET updated_at = ? WHERE id = ?').run(this.now(), sweepId);
      })
      .immediate();
  }
}
