// The health monitor's findings and the task baselines (version 4). Each
// eval row gains the run's health at that step (state, the step it began,
// reasons with their numbers, the remedy) and the task's trivial baselines'
// validation losses, both as JSON whose non-finite numbers are spelled out
// (json.ts). Rows written before keep NULL: no health was measured then. A
// run's current health is its latest eval's, so no run column is needed.
// The SQL is written out here, not built from constants, so this file means
// the same thing forever.

import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const migration004: Migration = {
  version: 4,
  description: 'evals keep the health state and the task baselines',
  up(db: Database.Database): void {
    db.exec(`
      ALTER TABLE evals ADD COLUMN health TEXT CHECK (health IS NULL OR (json_valid(health)
        AND json_extract(health, '$.state') IN ('healthy', 'exploding', 'saturated', 'vanishing', 'not-learning')));
      ALTER TABLE evals ADD COLUMN baselines TEXT CHECK (baselines IS NULL OR json_valid(baselines));
    `);
  },
};
