import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate';
import { MIGRATIONS } from '../../../../main/store/migrations/index';
import { migration005 } from '../../../../main/store/migrations/005-sweeps';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, migration005.version - 1);
});
afterEach(() => db.close());

const now = 1_700_000_000_000;

function insertRun(): number {
  return Number(
    db
      .prepare(
        'INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) ' +
          "VALUES ('r', 'completed', '{\"seed\":1}', 'sine', 'rtrl', 1, '0.1.0', ?, ?)",
      )
      .run(now, now).lastInsertRowid,
  );
}

function insertSweep(): number {
  return Number(db.prepare("INSERT INTO sweeps (name, spec, created_at, updated_at) VALUES ('s', '{}', 1, 1)").run().lastInsertRowid);
}

describe('migration 005 (sweeps)', () => {
  it('adds the three tables, all STRICT, to a database that already holds runs, which it leaves as they were', () => {
    const run = insertRun();
    const before = db.prepare('SELECT * FROM runs').all();
    migrate(db, MIGRATIONS, migration005.version);
    expect(userVersion(db)).toBe(migration005.version);
    const tables = db
      .prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE name LIKE 'sweep%' ORDER BY name")
      .all();
    expect(tables).toEqual([
      { name: 'sweep_rungs', strict: 1 },
      { name: 'sweep_trials', strict: 1 },
      { name: 'sweeps', strict: 1 },
    ]);
    expect(db.prepare('SELECT * FROM runs').all()).toEqual(before);
    expect(run).toBe(1);
  });

  it('checks outcomes and JSON, keeps one trial per run, and keeps a trial whose run is deleted', () => {
    migrate(db, MIGRATIONS, migration005.version);
    const run = insertRun();
    const sweep = insertSweep();
    const trial = db.prepare('INSERT INTO sweep_trials (sweep_id, trial, params, seed, run_id, outcome) VALUES (?, ?, ?, ?, ?, ?)');
    trial.run(sweep, 0, '{"training.lr":0.1}', null, run, 'completed');
    expect(() => trial.run(sweep, 1, '{}', null, null, 'exploded')).toThrow(/CHECK constraint/);
    expect(() => trial.run(sweep, 1, '[1]', null, null, null)).toThrow(/CHECK constraint/);
    expect(() => trial.run(sweep, 1, '{}', null, run, null)).toThrow(/UNIQUE constraint/);
    expect(() => trial.run(sweep + 1, 0, '{}', null, null, null)).toThrow(/FOREIGN KEY constraint/);
    expect(() => db.prepare('INSERT INTO sweep_rungs (sweep_id, trial, rung, step, value) VALUES (?, 5, 0, 10, 1)').run(sweep)).toThrow(
      /FOREIGN KEY constraint/,
    );
    db.prepare('DELETE FROM runs WHERE id = ?').run(run);
    expect(db.prepare('SELECT run_id AS runId, outcome FROM sweep_trials').all()).toEqual([{ runId: null, outcome: 'completed' }]);
  });

  it('deletes a sweep with its trials and rungs, never its runs', () => {
    migrate(db, MIGRATIONS, migration005.version);
    const run = insertRun();
    const sweep = insertSweep();
    db.prepare("INSERT INTO sweep_trials (sweep_id, trial, params, run_id) VALUES (?, 0, '{}', ?)").run(sweep, run);
    db.prepare('INSERT INTO sweep_rungs (sweep_id, trial, rung, step, value) VALUES (?, 0, 0, 10, 0.5)').run(sweep);
    db.prepare('DELETE FROM sweeps WHERE id = ?').run(sweep);
    for (const table of ['sweep_trials', 'sweep_rungs'])
      expect({ table, rows: db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() }).toEqual({ table, rows: 0 });
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
  });
});
