// Which process trains a run. The app, `serve` and CLI runs share one
// database; a run that is queued, running or paused belongs to the process
// that started it, which proves it is alive by a heartbeat. Other processes
// read this table to tell a run whose owner died (to be marked interrupted)
// from one that is being trained elsewhere (to be left alone, followed, and
// asked to stop or pause through `request`). A row exists only while its
// run is active; it goes with its run.

import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const migration002: Migration = {
  version: 2,
  description: 'run owners: the process training each active run, its heartbeat and pending requests',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE run_owners (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        label TEXT NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        request TEXT CHECK (request IN ('stop', 'pause', 'resume'))
      ) STRICT;
      CREATE INDEX run_owners_by_owner ON run_owners(owner);
    `);
  },
};
