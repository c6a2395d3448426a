import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEALTH_STATES } from '../../../../common/values';
import { migrate, userVersion } from '../../../../main/store/migrate';
import { MIGRATIONS } from '../../../../main/store/migrations/index';
import { Store } from '../../../../main/store/store';
import { makeEval, tempDir } from '../fixtures';

let tmp: ReturnType<typeof tempDir>;
let db: Database.Database;
beforeEach(() => {
  tmp = tempDir();
  db = new Database(tmp.file('old.db'));
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 3);
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

const now = 1_700_000_000_000;

/** A run with one eval as version 3 wrote it. */
function oldRun(): number {
  const config = { seed: 1, task: { kind: 'sine' }, model: { hidden: 2 }, training: { steps: 10, batchSize: 1 }, method: { kind: 'bptt' } };
  const id = Number(
    db
      .prepare(
        'INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) ' +
          "VALUES ('r', 'completed', ?, 'sine', 'bptt', 1, '0.1.0', ?, ?)",
      )
      .run(JSON.stringify(config), now, now).lastInsertRowid,
  );
  db.prepare(
    'INSERT INTO evals (run_id, step, validation_loss, histograms, probe_t, probe_d, probe_n, probe_hidden, probe_outputs, ' +
      "probe_targets, eigenvalues) VALUES (?, 5, 0.25, '{\"weights\":{},\"grads\":{}}', 0, 2, 1, x'', x'', x'', x'')",
  ).run(id);
  return id;
}

describe('migration 004 (evals keep the health state and the task baselines)', () => {
  it('keeps older evals readable without health, and the run without a health state', () => {
    const id = oldRun();
    migrate(db, MIGRATIONS, 4);
    expect(userVersion(db)).toBe(4);
    db.close();
    const store = Store.open(tmp.file('old.db'));
    try {
      const e = store.evalAt(id, 5)!;
      expect(e.validationLoss).toBe(0.25);
      expect(e).not.toHaveProperty('health');
      expect(e).not.toHaveProperty('baselines');
      expect(store.getSummary(id)!.health).toBeNull();
      store.appendProgress(id, { steps: [], evals: [makeEval(6, 0.2)], checkpoints: [] });
      expect(store.getSummary(id)!.health!.state).toBe('exploding');
    } finally {
      store.close();
    }
  });

  it('accepts exactly the health states common/values.ts lists (its CHECK keeps its own copy)', () => {
    const id = oldRun();
    migrate(db, MIGRATIONS, 4);
    const set = db.prepare('UPDATE evals SET health = ? WHERE run_id = ?');
    for (const state of HEALTH_STATES) expect(() => set.run(JSON.stringify({ state }), id)).not.toThrow();
    expect(() => set.run(JSON.stringify({ state: 'sick' }), id)).toThrow(/CHECK/);
    expect(() => set.run('{not json', id)).toThrow(/CHECK/);
  });
});
