// Commands that only read (list, show, export) open the database read-only:
// they never create a database or a folder, work on a file and a folder the
// user cannot write, and every refusal names the file. Root writes through
// chmod, so the permission cases run the CLI as the unprivileged user
// `nobody` when the tests run as root.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { Store } from '../../../main/store/store';
import { config } from '../store/fixtures';

const bin = fileURLToPath(new URL('../../../bin/rnn-workbench.js', import.meta.url));
const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** The CLI in a process that cannot write what chmod says it cannot. */
function cliUnprivileged(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { ...unprivileged, encoding: 'utf8', cwd: tmpdir() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const folders: string[] = [];
afterEach(() => {
  for (const f of folders.splice(0)) chmodSync(f, 0o755); // so the temp folder can be cleaned up
});

/** A folder anyone can read, holding a database of ours with one run. */
function databaseWithRun(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wb-ro-'));
  chmodSync(dir, 0o755);
  folders.push(dir);
  const file = join(dir, 'workbench.db');
  const store = Store.open(file);
  store.createRun({ name: 'kept run', config, appVersion: '0.1.0' });
  store.close();
  return { dir, file };
}

/** list and show (text and JSON) read the run; train refuses, naming the file and what is read-only (exit 2). */
function expectReadNotWritten(file: string, readOnly: 'file' | 'folder'): void {
  const l = cliUnprivileged('list', '--db', file);
  expect(l.err).toBe('');
  expect(l.code).toBe(0);
  expect(l.out).toMatch(/^1\s+kept run\s+created/m);
  expect(cliUnprivileged('show', '1', '--db', file).out).toMatch(/^run 1: kept run$/m);
  expect(cliUnprivileged('show', '1', '--db', file, '--json').out).toMatch(/"name":"kept run"/);
  const t = cliUnprivileged('train', '--steps', '1', '--db', file);
  expect(t.code).toBe(2);
  expect(t.err).toContain(`cannot write "${file}": its ${readOnly} is read-only`);
}

describe('read-only commands', () => {
  it('list, show and export of a mistyped path create nothing and name the path (exit 2)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wb-typo-'));
    const path = join(root, 'no/such/dir/x.db');
    for (const args of [['list'], ['show', '1'], ['export', '1', '--format', 'json']]) {
      const r = await cli(...args, '--db', path);
      expect(r.code, args[0]).toBe(2);
      expect(r.err, args[0]).toContain(`there is no database at "${path}"`);
    }
    expect(readdirSync(root)).toEqual([]);
  });

  it('--db naming a folder: every command says it is a folder (exit 2)', async () => {
    const { dir } = databaseWithRun();
    for (const args of [['list'], ['train', '--steps', '1']]) {
      const r = await cli(...args, '--db', dir);
      expect(r.code, args[0]).toBe(2);
      expect(r.err, args[0]).toBe(`error: "${dir}" is a folder, not a database file\n`);
    }
  });

  it('a writer whose folder cannot be made names the database (exit 2)', async () => {
    const { file } = databaseWithRun();
    const path = join(file, 'sub', 'x.db'); // under a file, not a folder
    const r = await cli('train', '--steps', '1', '--db', path);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^error: cannot create the folder for "${path.replace(/[.]/g, '\\.')}": ENOTDIR`));
  });

  it('a chmod 444 file: list and show work and leave it unchanged; train refuses, naming it (exit 2)', () => {
    const { file } = databaseWithRun();
    chmodSync(file, 0o444);
    const before = readFileSync(file);
    expectReadNotWritten(file, 'file');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a read-only folder holding the database: list and show work, no -wal or -shm is made', () => {
    const { dir, file } = databaseWithRun();
    chmodSync(file, 0o444);
    chmodSync(dir, 0o555);
    const before = readFileSync(file);
    expectReadNotWritten(file, 'file'); // the file is checked first; both are read-only
    expect(readdirSync(dir)).toEqual(['workbench.db']);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a writable file in a read-only folder: read as well; train names the folder', () => {
    const { dir, file } = databaseWithRun();
    if (unprivileged.uid !== undefined) chownSync(file, unprivileged.uid, unprivileged.gid);
    chmodSync(dir, 0o555);
    expectReadNotWritten(file, 'folder');
    expect(readdirSync(dir)).toEqual(['workbench.db']);
  });

  it('a read-only folder whose -wal holds changes it cannot read: refused, naming the files', () => {
    const { dir, file } = databaseWithRun();
    const writer = new Database(file);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("UPDATE runs SET name = 'renamed'").run();
    const copy = join(dir, 'copy');
    mkdirSync(copy);
    copyFileSync(file, join(copy, 'workbench.db'));
    copyFileSync(`${file}-wal`, join(copy, 'workbench.db-wal')); // as a crashed writer leaves it, without -shm
    writer.close();
    chmodSync(copy, 0o555);
    folders.push(copy);
    const target = join(copy, 'workbench.db');
    const l = cliUnprivileged('list', '--db', target);
    expect(l.code).toBe(2);
    expect(l.err).toContain(`cannot read "${target}": changes in "${target}-wal" can only be read by creating "${target}-shm"`);
    expect(existsSync(`${target}-shm`)).toBe(false);
  });
});
