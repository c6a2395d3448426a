// The first schema. Metrics are columnar: one row per (run, series, chunk of
// up to 1024 consecutive steps) holding the values as a float64 little-endian
// blob and the chunk's first/min/max/last, so a downsampled read of a
// million-step run touches about a thousand small summary rows. A chunk
// never crosses a multiple of 1024 steps and never spans a gap in steps.
// REAL columns hold NULL where the value was NaN (SQLite stores NaN as NULL).
// The SQL is written out here, not built from constants, so this file means
// the same thing forever.

import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

const STATUSES = "'created','queued','running','paused','completed','stopped','crashed','interrupted','diverged','failed'";
const MATRICES = "'U','W','V','b','c'";

export const migration001: Migration = {
  version: 1,
  description: 'runs, metric chunks, evals, snapshots, gradient checks',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN (${STATUSES})),
        config TEXT NOT NULL CHECK (json_valid(config) AND json_type(config) = 'object'),
        task_kind TEXT NOT NULL,
        method_kind TEXT NOT NULL,
        seed INTEGER NOT NULL,
        engine_version TEXT,
        app_version TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER,
        tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
        notes TEXT NOT NULL DEFAULT '',
        parent_run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        parent_step INTEGER CHECK (parent_step >= 0),
        last_step INTEGER,
        best_validation_loss REAL,
        end_message TEXT
      ) STRICT;
      CREATE INDEX runs_by_created ON runs(created_at DESC, id DESC);
      CREATE INDEX runs_by_status ON runs(status);
      CREATE INDEX runs_by_parent ON runs(parent_run_id) WHERE parent_run_id IS NOT NULL;

      CREATE TABLE metric_chunks (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        series TEXT NOT NULL,
        first_step INTEGER NOT NULL CHECK (first_step >= 0),
        count INTEGER NOT NULL CHECK (count BETWEEN 1 AND 1024 AND (first_step % 1024) + count <= 1024),
        v_min REAL,
        v_min_step INTEGER,
        v_max REAL,
        v_max_step INTEGER,
        v_first REAL,
        v_last REAL,
        vals BLOB NOT NULL CHECK (length(vals) = 8 * count),
        UNIQUE (run_id, series, first_step)
      ) STRICT;

      CREATE TABLE evals (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL CHECK (step >= 0),
        validation_loss REAL,
        histograms TEXT NOT NULL CHECK (json_valid(histograms)),
        probe_t INTEGER NOT NULL CHECK (probe_t >= 0),
        probe_d INTEGER NOT NULL CHECK (probe_d >= 0),
        probe_n INTEGER NOT NULL CHECK (probe_n >= 0),
        probe_hidden BLOB NOT NULL CHECK (length(probe_hidden) = 8 * probe_t * probe_d),
        probe_outputs BLOB NOT NULL CHECK (length(probe_outputs) = 8 * probe_t * probe_n),
        probe_targets BLOB NOT NULL CHECK (length(probe_targets) = 8 * probe_t * probe_n),
        eigenvalues BLOB NOT NULL CHECK (length(eigenvalues) % 16 = 0),
        PRIMARY KEY (run_id, step)
      ) STRICT;

      CREATE TABLE snapshots (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL CHECK (step >= 0),
        created_at INTEGER NOT NULL,
        base_lr REAL NOT NULL,
        optimizer_t INTEGER NOT NULL,
        rng BLOB NOT NULL CHECK (length(rng) % 8 = 0),
        carry BLOB CHECK (length(carry) % 8 = 0),
        PRIMARY KEY (run_id, step)
      ) STRICT;

      CREATE TABLE snapshot_matrices (
        run_id INTEGER NOT NULL,
        step INTEGER NOT NULL,
        name TEXT NOT NULL CHECK (name IN (${MATRICES})),
        rows INTEGER NOT NULL CHECK (rows >= 0),
        cols INTEGER NOT NULL CHECK (cols >= 0),
        data BLOB NOT NULL CHECK (length(data) = 8 * rows * cols),
        PRIMARY KEY (run_id, step, name),
        FOREIGN KEY (run_id, step) REFERENCES snapshots(run_id, step) ON DELETE CASCADE
      ) STRICT;

      CREATE TABLE snapshot_optimizer_buffers (
        run_id INTEGER NOT NULL,
        step INTEGER NOT NULL,
        position INTEGER NOT NULL CHECK (position >= 0),
        data BLOB NOT NULL CHECK (length(data) % 8 = 0),
        PRIMARY KEY (run_id, step, position),
        FOREIGN KEY (run_id, step) REFERENCES snapshots(run_id, step) ON DELETE CASCADE
      ) STRICT;

      CREATE TABLE grad_checks (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL CHECK (step >= 0),
        worst REAL,
        report TEXT NOT NULL CHECK (json_valid(report)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX grad_checks_by_run ON grad_checks(run_id, step);
    `);
  },
};
