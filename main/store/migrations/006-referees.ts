// The gradient lab's referee tables: each run keeps every referee it was
// given (the snapshot's step, when, and the table as JSON: methods with
// their time, memory and gradient norms, and each pair's relative error
// and cosine per matrix), deleted with the run. The SQL is written out
// here, not built from constants, so this file means the same thing forever.

import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const migration006: Migration = {
  version: 6,
  description: "the gradient lab's referee tables, per run and snapshot step",
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE referees (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL CHECK (step >= 0),
        report TEXT NOT NULL CHECK (json_valid(report) AND json_type(report) = 'object'),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX referees_by_run ON referees(run_id, id);
    `);
  },
};
