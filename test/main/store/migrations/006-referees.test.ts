import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabReferee } from '../../../../common/contract';
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
  migrate(db, MIGRATIONS, 5);
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

const now = 1_700_000_000_000;

/** A run as version 5 wrote it. */
function oldRun(): number {
  const config = { seed: 1, task: { kind: 'sine' }, model: { hidden: 2 }, training: { steps: 10, batchSize: 1 }, method: { kind: 'bptt' } };
  return Number(
    db
      .prepare(
        'INSERT INTO runs (name, status, config, task_kind, method_kind, seed, app_version, created_at, updated_at) ' +
          "VALUES ('r', 'completed', ?, 'sine', 'bptt', 1, '0.1.0', ?, ?)",
      )
      .run(JSON.stringify(config), now, now).lastInsertRowid,
  );
}

const table: LabReferee = {
  step: 10,
  T: 12,
  B: 1,
  checked: { U: 2, W: 4, V: 2 },
  methods: [
    { name: 'rtrl', ms: 1.5, bytes: 96, norm: { U: 0.5, W: 0.25, V: 1 } },
    { name: 'bptt', ms: 0.5, bytes: 200, norm: { U: 0.5, W: 0.25, V: 1 } },
  ],
  pairs: [{ a: 'rtrl', b: 'bptt', relativeError: { U: 1e-16, W: NaN, V: Infinity }, cosine: { U: 1, W: 1, V: 1 } }],
};

describe('migration 006 (referee tables per run)', () => {
  it('adds the table to a version-5 database, whose runs then keep referees (non-finite numbers too) until they are deleted', () => {
    const id = oldRun();
    migrate(db, MIGRATIONS, 6);
    expect(userVersion(db)).toBe(6);
    expect(db.prepare("SELECT strict FROM pragma_table_list WHERE name = 'referees'").pluck().get()).toBe(1);
    db.close();
    const store = Store.open(tmp.file('old.db'), { now: () => now + 5 });
    try {
      expect(store.referees.list(id)).toEqual([]);
      const saved = store.referees.save(id, table);
      expect(saved).toEqual({ ...table, id: saved.id, runId: id, createdAt: now + 5 });
      store.referees.save(id, { ...table, step: 4 });
      const listed = store.referees.list(id);
      expect(listed.map((r) => r.step)).toEqual([10, 4]); // in the order they were run
      expect(listed[0]).toEqual(saved);
      expect(Number.isNaN(listed[0].pairs[0].relativeError.W)).toBe(true);
      expect(listed[0].pairs[0].relativeError.V).toBe(Infinity);
      store.deleteRun(id);
      expect(store.referees.list(id)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('refuses a report that is not a JSON object, and a table of the wrong shape with the field named', () => {
    const id = oldRun();
    migrate(db, MIGRATIONS, 6);
    const insert = db.prepare('INSERT INTO referees (run_id, step, report, created_at) VALUES (?, 1, ?, 0)');
    expect(() => insert.run(id, '[1, 2]')).toThrow(/CHECK/);
    expect(() => insert.run(id, '{not json')).toThrow(/CHECK/);
    expect(() => insert.run(id + 1, '{}')).toThrow(/FOREIGN KEY/);
    db.close();
    const store = Store.open(tmp.file('old.db'));
    try {
      expect(() => store.referees.save(id, { ...table, methods: [{ ...table.methods[0], bytes: -1 }] })).toThrow(/referee: .*methods/s);
      expect(() => store.referees.save(id, { ...table, step: -1 })).toThrow(/step -1 is not a step/);
      expect(store.referees.list(id)).toEqual([]);
    } finally {
      store.close();
    }
  });
});
