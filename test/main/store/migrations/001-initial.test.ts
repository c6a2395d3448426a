import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_ID, migrate, userVersion } from '../../../../main/store/migrate';
import { MIGRATIONS, REQUIRED_TABLES } from '../../../../main/store/migrations/index';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
});
afterEach(() => db.close());

const now = 1_700_000_000_000;

function insertRun(status = 'created'): number {
  return Number(
    db
      .prepare(
        'INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) ' +
          "VALUES ('r', ?, '{\"seed\":1}', 'sine', 'rtrl', 1, '0.1.0', ?, ?)",
      )
      .run(status, now, now).lastInsertRowid,
  );
}

describe('migration 001 (initial schema)', () => {
  it('takes an empty database (version 0) to version 1 with our application_id', () => {
    migrate(db, MIGRATIONS, 0);
    expect(userVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    migrate(db, MIGRATIONS, 1);
    expect(userVersion(db)).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APP_ID);
  });

  it('creates every table, all STRICT', () => {
    migrate(db, MIGRATIONS, 1);
    const tables = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all();
    const later = ['run_owners', 'datasets', 'sweeps', 'sweep_trials', 'sweep_owners', 'sweep_rungs'];
    expect(tables.map((t) => t.name).sort()).toEqual(REQUIRED_TABLES.filter((t) => !later.includes(t)).sort());
    for (const t of tables) expect({ table: t.name, strict: t.strict }).toEqual({ table: t.name, strict: 1 });
  });

  it('rejects wrong types, unknown statuses and malformed JSON', () => {
    migrate(db, MIGRATIONS, 1);
    expect(() => insertRun('exploded')).toThrow(/CHECK constraint/);
    expect(() =>
      db
        .prepare(
          'INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) ' +
            "VALUES ('r', 'created', 'not json', 'sine', 'rtrl', 1, '0.1.0', 1, 1)",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    const id = insertRun();
    expect(() => db.prepare("UPDATE runs SET seed = 'seven' WHERE id = ?").run(id)).toThrow(/cannot store TEXT value in INTEGER/);
  });

  it('keeps metric chunks inside one aligned window of 1024 steps with a matching blob', () => {
    migrate(db, MIGRATIONS, 1);
    const run = insertRun();
    const insert = db.prepare('INSERT INTO metric_chunks (run_id, series, first_step, count, vals) VALUES (?, ?, ?, ?, ?)');
    insert.run(run, 'loss', 1020, 4, Buffer.alloc(32));
    expect(() => insert.run(run, 'lr', 1020, 5, Buffer.alloc(40))).toThrow(/CHECK constraint/);
    expect(() => insert.run(run, 'lr', 0, 4, Buffer.alloc(24))).toThrow(/CHECK constraint/);
    expect(() => insert.run(run, 'loss', 1020, 1, Buffer.alloc(8))).toThrow(/UNIQUE constraint/);
  });

  it('cascades a run delete to chunks, evals, snapshots with their blobs, and grad checks', () => {
    migrate(db, MIGRATIONS, 1);
    const run = insertRun();
    const child = insertRun();
    db.prepare('UPDATE runs SET parent_run_id = ?, parent_step = 5 WHERE id = ?').run(run, child);
    db.prepare("INSERT INTO metric_chunks (run_id, series, first_step, count, vals) VALUES (?, 'loss', 0, 1, ?)").run(run, Buffer.alloc(8));
    db.prepare(
      "INSERT INTO evals (run_id, step, validation_loss, histograms, probe_t, probe_d, probe_n, probe_hidden, probe_outputs, probe_targets, eigenvalues) VALUES (?, 1, 0.5, '{}', 0, 0, 0, x'', x'', x'', x'')",
    ).run(run);
    db.prepare("INSERT INTO snapshots (run_id, step, created_at, base_lr, optimizer_t, rng) VALUES (?, 1, 1, 0.1, 1, x'')").run(run);
    db.prepare("INSERT INTO snapshot_matrices (run_id, step, name, rows, cols, data) VALUES (?, 1, 'W', 1, 1, ?)").run(
      run,
      Buffer.alloc(8),
    );
    db.prepare('INSERT INTO snapshot_optimizer_buffers (run_id, step, position, data) VALUES (?, 1, 0, ?)').run(run, Buffer.alloc(8));
    db.prepare("INSERT INTO grad_checks (run_id, step, worst, report, created_at) VALUES (?, 1, 1e-9, '{}', 1)").run(run);

    db.prepare('DELETE FROM runs WHERE id = ?').run(run);
    for (const table of ['metric_chunks', 'evals', 'snapshots', 'snapshot_matrices', 'snapshot_optimizer_buffers', 'grad_checks']) {
      expect({ table, rows: db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() }).toEqual({ table, rows: 0 });
    }
    const orphan = db
      .prepare<[number], { parent: number | null; step: number }>(
        'SELECT parent_run_id AS parent, parent_step AS step FROM runs WHERE id = ?',
      )
      .get(child);
    expect(orphan).toEqual({ parent: null, step: 5 });
  });

  it('refuses a snapshot matrix without its snapshot', () => {
    migrate(db, MIGRATIONS, 1);
    const run = insertRun();
    expect(() =>
      db
        .prepare("INSERT INTO snapshot_matrices (run_id, step, name, rows, cols, data) VALUES (?, 9, 'W', 1, 1, ?)")
        .run(run, Buffer.alloc(8)),
    ).toThrow(/FOREIGN KEY constraint/);
  });
});
