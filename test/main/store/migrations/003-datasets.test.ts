import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../../../main/store/migrate';
import { MIGRATIONS } from '../../../../main/store/migrations/index';
import { Store } from '../../../../main/store/store';
import { tempDir } from '../fixtures';

let tmp: ReturnType<typeof tempDir>;
let db: Database.Database;
beforeEach(() => {
  tmp = tempDir();
  db = new Database(tmp.file('old.db'));
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 2);
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

const now = 1_700_000_000_000;
const CSV = 'x,y\n' + '1,2\n'.repeat(5000);

/** A run row as versions 1 and 2 wrote it: the data inside the config JSON. */
function insertRun(task: Record<string, unknown>): number {
  const config = { seed: 1, task, model: { hidden: 3 }, training: { steps: 10, batchSize: 1 }, method: { kind: 'bptt' } };
  return Number(
    db
      .prepare(
        'INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) ' +
          "VALUES ('r', 'completed', ?, ?, 'bptt', 1, '0.1.0', ?, ?)",
      )
      .run(JSON.stringify(config), task.kind, now, now).lastInsertRowid,
  );
}

describe('migration 003 (datasets; snapshots keep the spectral estimate state)', () => {
  it('moves the data out of existing rows into one shared copy, and the store reads the configs as before', () => {
    const tasks = [
      { kind: 'csv', csv: CSV, T: 20 },
      { kind: 'csv', csv: CSV, T: 30 },
      { kind: 'text', text: 'hello world', T: 5 },
      { kind: 'text', text: null, T: 5 },
      { kind: 'sine', channels: 2, T: 10 },
    ];
    const ids = tasks.map(insertRun);
    const before = ids.map((id) => db.prepare('SELECT config FROM runs WHERE id = ?').pluck().get(id) as string);
    migrate(db, MIGRATIONS, 3);
    expect(userVersion(db)).toBe(3);
    expect(db.prepare('SELECT count(*) FROM datasets').pluck().get()).toBe(2);
    const rows = db.prepare<[], { config: string; dataset: string | null }>('SELECT config, dataset FROM runs ORDER BY id').all();
    expect(rows.map((r) => r.dataset === null)).toEqual([false, false, false, true, true]);
    expect(rows[0].dataset).toBe(rows[1].dataset);
    expect(rows.every((r) => r.config.length < 300)).toBe(true);
    expect(JSON.parse(rows[0].config).task).toEqual({ kind: 'csv', csv: null, T: 20 });
    db.close();

    const store = Store.open(tmp.file('old.db'));
    try {
      ids.forEach((id, i) => expect(store.getRun(id)!.config).toEqual(JSON.parse(before[i])));
      store.deleteRun(ids[0]);
      store.deleteRun(ids[2]);
      const left = new Database(tmp.file('old.db'), { readonly: true });
      expect(left.prepare('SELECT count(*) FROM datasets').pluck().get()).toBe(1);
      left.close();
      store.deleteRun(ids[1]);
      expect(store.getRun(ids[3])!.config.task).toEqual({ kind: 'text', text: null, T: 5 });
    } finally {
      store.close();
    }
    const after = new Database(tmp.file('old.db'), { readonly: true });
    expect(after.prepare('SELECT count(*) FROM datasets').pluck().get()).toBe(0);
    after.close();
  });

  it('adds the spectral state columns to snapshots, NULL for the existing ones', () => {
    const run = insertRun({ kind: 'sine', channels: 2, T: 10 });
    db.prepare("INSERT INTO snapshots (run_id, step, created_at, base_lr, optimizer_t, rng) VALUES (?, 1, 1, 0.1, 1, x'')").run(run);
    migrate(db, MIGRATIONS, 3);
    expect(db.prepare('SELECT spectral_rng, spectral_start FROM snapshots').get()).toEqual({ spectral_rng: null, spectral_start: null });
    expect(() => db.prepare("UPDATE snapshots SET spectral_start = x'0102'").run()).toThrow(/CHECK constraint/);
  });

  it('refuses a reference to a dataset that is not stored, and a malformed key', () => {
    migrate(db, MIGRATIONS, 3);
    const run = insertRun({ kind: 'sine', channels: 2, T: 10 });
    expect(() => db.prepare('UPDATE runs SET dataset = ? WHERE id = ?').run('0'.repeat(64), run)).toThrow(/FOREIGN KEY constraint/);
    expect(() => db.prepare("INSERT INTO datasets (hash, data) VALUES ('abc', 'x')").run()).toThrow(/CHECK constraint/);
  });
});
