// Store.openReadOnly: an existing, current database of ours, read without
// creating, migrating or writing anything. (Files and folders the process
// cannot write are tested through the CLI as an unprivileged user:
// test/main/cli/read-only.test.ts.)

import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../main/store/errors';
import { Store } from '../../../main/store/store';
import { config, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function refusal(open: () => unknown): StoreError {
  try {
    open();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected the open to be refused');
}

describe('Store.openReadOnly', () => {
  it('reads a database of ours and leaves its bytes and mtime as they were', () => {
    const file = tmp.file('ours.db');
    const store = Store.open(file);
    store.createRun({ name: 'kept', config, appVersion: '0.1.0' });
    store.close();
    fs.utimesSync(file, 1_000_000, 1_000_000);
    const before = fs.readFileSync(file);
    const ro = Store.openReadOnly(file);
    expect(ro.listRuns().map((r) => r.name)).toEqual(['kept']);
    expect(() => ro.createRun({ name: 'no', config, appVersion: '0.1.0' })).toThrow(/readonly|read-only/i);
    ro.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(1_000_000_000);
  });

  it('creates neither a file nor a folder for a path with no database, and names the path', () => {
    const file = tmp.file('no/such/folder/x.db');
    const e = refusal(() => Store.openReadOnly(file));
    expect(e.code).toBe('cannot-open');
    expect(e.message).toContain(`there is no database at "${file}"`);
    expect(fs.existsSync(tmp.file('no'))).toBe(false);
  });

  it('names a folder given as the database, read-only or not', () => {
    for (const open of [Store.openReadOnly, Store.open]) {
      const e = refusal(() => open(tmp.dir));
      expect(e.code).toBe('cannot-open');
      expect(e.message).toBe(`"${tmp.dir}" is a folder, not a database file`);
    }
  });

  it('does not migrate a database that needs it: says so, and leaves the file as it was', () => {
    const file = tmp.file('old.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL'); // an SQLite file at schema version 0
    db.close();
    const before = fs.readFileSync(file);
    const e = refusal(() => Store.openReadOnly(file));
    expect(e.code).toBe('needs-migration');
    expect(e.message).toMatch(
      /^".*old\.db" has schema version 0 and needs upgrading to version \d+, which a read-only command does not do/,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses an empty file and a file that is not SQLite, naming them', () => {
    const empty = tmp.file('empty.db');
    fs.writeFileSync(empty, '');
    expect(refusal(() => Store.openReadOnly(empty)).message).toBe(
      `"${empty}" is empty: no RNN Workbench database has been written to it yet`,
    );
    const text = tmp.file('notes.txt');
    fs.writeFileSync(text, 'not a database\n'.repeat(20));
    expect(refusal(() => Store.openReadOnly(text)).message).toMatch(/notes\.txt" is not an RNN Workbench database/);
  });
});
