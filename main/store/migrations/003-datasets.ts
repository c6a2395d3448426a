// Datasets stored once (version 3). A CSV or text task's data used to sit inside the
// run's config JSON, so every status or progress update rewrote it (one run
// on a 47 MB CSV wrote hundreds of MB). Now the text lives in `datasets`,
// keyed by its SHA-256, and the run's row holds the key in `dataset` with
// the config's data field set to null; the store puts the text back when it
// reads a run. A trigger deletes a dataset with the last run that uses it.
// Snapshots also gain the per-step spectral-radius estimate's warm state
// (its PRNG words and start direction), so a resumed run's estimates equal
// the uninterrupted run's; older snapshots keep NULL and start it afresh.
// The SQL is written out here, not built from constants, so this file means
// the same thing forever.

import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const migration003: Migration = {
  version: 3,
  description: 'datasets stored once, referenced by runs; snapshots keep the spectral estimate state',
  up(db: Database.Database): void {
    db.exec(`
      CREATE TABLE datasets (
        hash TEXT PRIMARY KEY CHECK (length(hash) = 64),
        data TEXT NOT NULL
      ) STRICT;
      ALTER TABLE runs ADD COLUMN dataset TEXT REFERENCES datasets(hash);
      CREATE INDEX runs_by_dataset ON runs(dataset) WHERE dataset IS NOT NULL;
      CREATE TRIGGER runs_delete_drops_dataset AFTER DELETE ON runs WHEN old.dataset IS NOT NULL
      BEGIN
        DELETE FROM datasets WHERE hash = old.dataset AND NOT EXISTS (SELECT 1 FROM runs WHERE dataset = old.dataset);
      END;
      CREATE TRIGGER runs_update_drops_dataset AFTER UPDATE OF dataset ON runs
        WHEN old.dataset IS NOT NULL AND old.dataset IS NOT new.dataset
      BEGIN
        DELETE FROM datasets WHERE hash = old.dataset AND NOT EXISTS (SELECT 1 FROM runs WHERE dataset = old.dataset);
      END;

      ALTER TABLE snapshots ADD COLUMN spectral_rng BLOB CHECK (length(spectral_rng) % 8 = 0);
      ALTER TABLE snapshots ADD COLUMN spectral_start BLOB CHECK (length(spectral_start) % 8 = 0);
    `);
    // Move the data out of the existing rows, one row at a time (each may be large).
    const rows = db
      .prepare<[], { id: number; field: string }>(
        "SELECT id, CASE task_kind WHEN 'csv' THEN '$.task.csv' ELSE '$.task.text' END AS field FROM runs " +
          "WHERE (task_kind = 'csv' AND json_type(config, '$.task.csv') = 'text') " +
          "OR (task_kind = 'text' AND json_type(config, '$.task.text') = 'text')",
      )
      .all();
    const read = db.prepare<[string, number], string>('SELECT json_extract(config, ?) FROM runs WHERE id = ?').pluck();
    const keep = db.prepare('INSERT INTO datasets (hash, data) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING');
    const point = db.prepare('UPDATE runs SET config = json_replace(config, ?, NULL), dataset = ? WHERE id = ?');
    for (const { id, field } of rows) {
      const data = read.get(field, id) as string;
      const hash = createHash('sha256').update(data, 'utf8').digest('hex');
      keep.run(hash, data);
      point.run(field, hash, id);
    }
  },
};
