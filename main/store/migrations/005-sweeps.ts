// Sweeps: many runs from one spec. A sweep row keeps its validated spec; a
// trial row its parameter values, its run seed, the run that trains it
// (kept when the run is deleted on its own: the trial then has no run) and,
// once decided, its outcome; a rung row the metric a trial reached at an
// early-stopping rung, which later trials at that rung are compared with.
// A sweep sent to a scheduler (Slurm) keeps its shared work folder and
// job id; each of its trials the job that trained it and the host it ran
// on, once collected. Deleting a sweep deletes its trials and rungs, never its runs (the
// caller deletes those first when asked to). The SQL is written out here,
// not built from constants, so this file means the same thing forever.

import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const migration005: Migration = {
  version: 5,
  description: 'sweeps, their trials (run, parameters, outcome) and early-stopping rungs',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE sweeps (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        spec TEXT NOT NULL CHECK (json_valid(spec) AND json_type(spec) = 'object'),
        workdir TEXT,
        job TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sweep_trials (
        sweep_id INTEGER NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
        trial INTEGER NOT NULL CHECK (trial >= 0),
        params TEXT NOT NULL CHECK (json_valid(params) AND json_type(params) = 'object'),
        seed INTEGER,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        outcome TEXT CHECK (outcome IN ('completed', 'stopped-early', 'failed')),
        reason TEXT,
        job TEXT,
        host TEXT,
        PRIMARY KEY (sweep_id, trial)
      ) STRICT;
      CREATE UNIQUE INDEX sweep_trials_by_run ON sweep_trials(run_id) WHERE run_id IS NOT NULL;

      CREATE TABLE sweep_rungs (
        sweep_id INTEGER NOT NULL,
        trial INTEGER NOT NULL,
        rung INTEGER NOT NULL CHECK (rung >= 0),
        step INTEGER NOT NULL CHECK (step >= 0),
        value REAL,
        PRIMARY KEY (sweep_id, trial, rung),
        FOREIGN KEY (sweep_id, trial) REFERENCES sweep_trials(sweep_id, trial) ON DELETE CASCADE
      ) STRICT;
    `);
  },
};
