// Which process runs a sweep: the same columns as run_owners (002), keyed by
// the sweep. A process running a sweep (queueing its trials, deciding early
// stops) holds its row and renews the heartbeat with its runs'; a second
// process is refused while the first is alive, so two processes never
// create a trial's run twice or judge a rung apart. A row exists only
// while its sweep runs; it goes with its sweep.

import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const migration009: Migration = {
  version: 6,
  description: 'sweep owners: the process running each sweep, and its heartbeat',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE sweep_owners (
        sweep_id INTEGER PRIMARY KEY REFERENCES sweeps(id) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        label TEXT NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        request TEXT CHECK (request IN ('stop', 'pause', 'resume'))
      ) STRICT;
      CREATE INDEX sweep_owners_by_owner ON sweep_owners(owner);
    `);
  },
};
