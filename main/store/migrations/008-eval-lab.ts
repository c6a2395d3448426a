// The gradient lab's numbers with every evaluation (migration 008). Each
// eval row gains `lab`: the gradient flow over the probe's lags, the probe's
// loss per time step and its mask, the probe decoded as characters for
// symbol tasks, and for approximate methods the step's gradient against the
// exact one; JSON whose non-finite numbers are spelled out (json.ts). Rows
// written before keep NULL: none of it was measured then.
// The SQL is written out here, not built from constants, so this file means
// the same thing forever.

import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

export const migration008: Migration = {
  version: 8,
  description: 'evals keep the gradient lab: flow, per-step probe loss, decoded probe, gradient alignment',
  up(db: Database.Database): void {
    db.exec(`ALTER TABLE evals ADD COLUMN lab TEXT CHECK (lab IS NULL OR (json_valid(lab) AND json_type(lab, '$.flow') = 'array'));`);
  },
};
