import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../main/store/errors';
import { APP_ID } from '../../../main/store/migrate';
import { LATEST_VERSION } from '../../../main/store/migrations/index';
import { Store } from '../../../main/store/store';
import { config, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Opening must throw a StoreError with `code` and leave the file's bytes exactly as they were. */
function expectRefused(file: string, code: StoreError['code'], message: RegExp): void {
  const before = fs.readFileSync(file);
  let error: unknown;
  try {
    Store.open(file).close();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe(code);
  expect((error as StoreError).message).toMatch(message);
  expect(fs.readFileSync(file).equals(before)).toBe(true);
}

describe('Store.open', () => {
  it('creates a new file in WAL mode with our application_id and the latest schema', () => {
    const file = tmp.file('new.db');
    Store.open(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(APP_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('sets foreign_keys on and synchronous NORMAL on its connection', () => {
    const file = tmp.file('pragmas.db');
    const store = Store.open(file);
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    store.close();
  });

  it('reopens its own file with the data in it', () => {
    const file = tmp.file('again.db');
    const store = Store.open(file);
    const run = store.createRun({ name: 'kept', config, appVersion: '0.1.0' });
    store.close();
    const again = Store.open(file, { quickCheck: true });
    expect(again.getRun(run.id)?.name).toBe('kept');
    again.close();
  });

  it('adopts an empty file and an SQLite file without tables', () => {
    const empty = tmp.file('empty.db');
    fs.writeFileSync(empty, '');
    Store.open(empty).close();
    const bare = tmp.file('bare.db');
    const db = new Database(bare);
    db.pragma('user_version = 0');
    db.exec('VACUUM');
    db.close();
    Store.open(bare).close();
    const check = new Database(bare, { readonly: true });
    expect(check.pragma('application_id', { simple: true })).toBe(APP_ID);
    check.close();
  });

  it('refuses random bytes', () => {
    const file = tmp.file('random.db');
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    fs.writeFileSync(file, bytes);
    expectRefused(file, 'not-a-database', /not an SQLite file/);
  });

  it('refuses a text file, even a short one', () => {
    const text = tmp.file('notes.txt');
    fs.writeFileSync(text, 'step,loss\n1,0.5\n'.repeat(50));
    expectRefused(text, 'not-a-database', /not an SQLite file/);
    const short = tmp.file('short.txt');
    fs.writeFileSync(short, 'hello');
    expectRefused(short, 'not-a-database', /not an SQLite file/);
  });

  it("refuses another application's database, with or without an application_id", () => {
    const plain = tmp.file('plain.db');
    let db = new Database(plain);
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada')");
    db.close();
    expectRefused(plain, 'foreign-database', /another application.*contacts/);

    const tagged = tmp.file('tagged.db');
    db = new Database(tagged);
    db.pragma('application_id = 1234');
    db.close();
    expectRefused(tagged, 'foreign-database', /application_id 0x4d2/);
  });

  it('refuses a foreign database in WAL mode without folding its WAL into it', () => {
    const file = tmp.file('foreign-wal.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');
    // Leave the WAL un-checkpointed while the other application holds the file open.
    expectRefused(file, 'foreign-database', /another application/);
    db.close();
  });

  it('refuses a file of ours with a newer schema, naming both versions', () => {
    const file = tmp.file('newer.db');
    Store.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    expectRefused(file, 'newer-schema', new RegExp(`version ${LATEST_VERSION + 5}.*up to ${LATEST_VERSION}`));
  });

  it('refuses a damaged file of ours as corrupt', () => {
    const file = tmp.file('damaged.db');
    Store.open(file).close();
    const bytes = fs.readFileSync(file);
    // Keep the 100-byte header, scramble the rest of page 1 (the schema table).
    for (let i = 100; i < 4096; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(file, bytes);
    expectRefused(file, 'corrupt', /damaged|malformed/);
  });

  it('reports a folder that does not exist as cannot-open', () => {
    expect(() => Store.open(tmp.file('no/such/folder/x.db'))).toThrow(expect.objectContaining({ code: 'cannot-open' }));
  });

  it('refuses a file of ours that lost its tables', () => {
    const file = tmp.file('gutted.db');
    Store.open(file).close();
    const db = new Database(file);
    db.exec('DROP TABLE grad_checks');
    db.pragma('journal_mode = DELETE');
    db.close();
    expectRefused(file, 'corrupt', /missing the table\(s\) grad_checks/);
  });
});
