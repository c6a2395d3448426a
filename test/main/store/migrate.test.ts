import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../main/store/errors';
import { APP_ID, checkMigrationList, migrate, userVersion, type Migration } from '../../../main/store/migrate';
import { MIGRATIONS } from '../../../main/store/migrations/index';

let db: Database.Database;
beforeEach(() => {
  db = new Database(':memory:');
});
afterEach(() => db.close());

const create = (version: number, table: string): Migration => ({
  version,
  description: `create ${table}`,
  up: (d) => void d.exec(`CREATE TABLE ${table} (x INTEGER) STRICT`),
});

describe('migrate', () => {
  it('shipped migrations are numbered 1, 2, … in order', () => {
    expect(() => checkMigrationList(MIGRATIONS)).not.toThrow();
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuses lists with a gap, a repeat or a reordering', () => {
    expect(() => checkMigrationList([create(1, 'a'), create(3, 'b')])).toThrow(/version 3/);
    expect(() => checkMigrationList([create(1, 'a'), create(1, 'b')])).toThrow(/version 1/);
    expect(() => checkMigrationList([create(2, 'a'), create(1, 'b')])).toThrow(/version 2/);
  });

  it('applies pending migrations in order and records each version', () => {
    const list = [create(1, 'a'), create(2, 'b'), create(3, 'c')];
    expect(migrate(db, list, 2)).toEqual({ from: 0, to: 2 });
    expect(userVersion(db)).toBe(2);
    expect(migrate(db, list)).toEqual({ from: 2, to: 3 });
    expect(db.prepare('SELECT name FROM sqlite_schema ORDER BY name').pluck().all()).toEqual(['a', 'b', 'c']);
    expect(db.pragma('application_id', { simple: true })).toBe(APP_ID);
  });

  it('rolls back a failing migration entirely and keeps the previous version', () => {
    const broken: Migration = {
      version: 2,
      description: 'half done',
      up: (d) => {
        d.exec('CREATE TABLE half (x INTEGER) STRICT');
        d.exec('INSERT INTO missing VALUES (1)');
      },
    };
    let error: unknown;
    try {
      migrate(db, [create(1, 'a'), broken]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('migration-failed');
    expect((error as StoreError).message).toMatch(/migration 2 \('half done'\)/);
    expect(userVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half'").get()).toBeUndefined();
  });

  it('refuses a database newer than the list', () => {
    db.pragma('user_version = 7');
    expect(() => migrate(db, [create(1, 'a')])).toThrow(/schema version 7.*up to 1/);
    expect(userVersion(db)).toBe(7);
  });
});
