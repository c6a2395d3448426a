// Opening the one database file. An existing file is inspected before we
// take it: its header bytes first (is it SQLite at all?), then, over a
// read-only connection, its application_id, schema version and tables.
// Anything that is not ours, or ours but newer than this build, is refused
// with a StoreError and left byte-for-byte as it was. Only then is the file
// opened for writing and migrated. A read-only open (list, show, export)
// takes only an existing, current database and never writes, creates or
// migrates anything; it also reads a file in a folder it cannot write.

import fs from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors';
import { APP_ID, migrate } from './migrate';
import { LATEST_VERSION, MIGRATIONS, REQUIRED_TABLES } from './migrations/index';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;

export interface OpenOptions {
  /**
   * Also run PRAGMA quick_check over every page (slow on large files: it
   * reads all of them). Without it, damage inside a table surfaces when that
   * table is read.
   */
  quickCheck?: boolean;
  /**
   * better-sqlite3's compiled addon to load instead of its own (the desktop
   * app passes a copy built for Electron's ABI; Node uses the default).
   */
  nativeBinding?: string;
  /**
   * How long a write waits, synchronously, for another process's write lock
   * before failing with SQLITE_BUSY (default 50 ms). Kept short so that no
   * event loop freezes: the run manager retries its writes asynchronously.
   */
  busyTimeoutMs?: number;
}

/** Opens (creating if absent) and migrates our database at `path`. */
export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  checkWritable(path); // first: a file that cannot be written is not worth inspecting
  inspectExisting(path, options.nativeBinding);
  const db = connect(path, false, options.nativeBinding);
  try {
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new StoreError('cannot-open', `could not put "${path}" in WAL mode (got ${String(mode)})`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 50))}`);
    migrate(db, MIGRATIONS);
    checkTables(tableNames(db), path);
    if (options.quickCheck) quickCheck(db, path);
    return db;
  } catch (cause) {
    db.close();
    throw asOpenError(path, cause);
  }
}

/**
 * Opens our existing database at `path` for reading only. Nothing is
 * created (no file, no folder), migrated or written; a file that would
 * need migrating is refused with a message saying so.
 */
export function openDatabaseReadOnly(path: string, options: OpenOptions = {}): Database.Database {
  const size = fileSize(path);
  if (size === null) {
    throw new StoreError('cannot-open', `there is no database at "${path}" (check the path; commands that only read never create one)`);
  }
  if (size === 0) throw new StoreError('not-a-database', `"${path}" is empty: no RNN Workbench database has been written to it yet`);
  checkHeader(path, size);
  const db = readOnlyConnection(path, options.nativeBinding);
  try {
    const version = checkOurs(db, path);
    if (version < LATEST_VERSION) {
      throw new StoreError(
        'needs-migration',
        `"${path}" has schema version ${version} and needs upgrading to version ${LATEST_VERSION}, which a read-only ` +
          'command does not do: open it once with a command that writes (train, resume, import) or the app, where the file can be written',
      );
    }
    if (options.quickCheck) quickCheck(db, path);
    db.pragma('query_only = ON');
    return db;
  } catch (cause) {
    db.close();
    throw asOpenError(path, cause);
  }
}

function inspectExisting(path: string, nativeBinding: string | undefined): void {
  const size = fileSize(path);
  if (size === null || size === 0) return; // SQLite treats an empty file as an empty database
  checkHeader(path, size);
  // The header's own application_id and user_version can be stale while a
  // WAL file holds newer page-1 contents, so ask SQLite, read-only.
  const ro = readOnlyConnection(path, nativeBinding);
  try {
    checkOurs(ro, path);
  } catch (cause) {
    throw asOpenError(path, cause);
  } finally {
    ro.close();
  }
}

/** The file's size; null when there is none. A folder or an unreadable path is refused, naming it. */
function fileSize(path: string): number | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StoreError('cannot-open', `cannot read "${path}": ${(cause as Error).message}`, { cause });
  }
  if (stat.isDirectory()) throw new StoreError('cannot-open', `"${path}" is a folder, not a database file`);
  return stat.size;
}

function checkHeader(path: string, size: number): void {
  if (size < HEADER_BYTES || !readHeader(path).subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new StoreError('not-a-database', `"${path}" is not an RNN Workbench database: it is not an SQLite file`);
  }
}

/** Refuses another application's database, a newer schema, or (at the latest version) missing tables; returns the version. */
function checkOurs(db: Database.Database, path: string): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = tableNames(db);
  if (appId !== APP_ID && (appId !== 0 || tables.length > 0)) {
    const what = appId === 0 ? `tables ${tables.slice(0, 5).join(', ')}` : `application_id 0x${(appId >>> 0).toString(16)}`;
    throw new StoreError('foreign-database', `"${path}" is an SQLite database of another application (${what}); it was left untouched`);
  }
  if (version > LATEST_VERSION) {
    throw new StoreError(
      'newer-schema',
      `"${path}" has schema version ${version}, but this build knows versions up to ${LATEST_VERSION}; ` +
        'open it with a newer version of the app',
    );
  }
  // Checked here too, read-only, so that a damaged file is refused before
  // anything (even the switch to WAL mode) writes to it.
  if (version === LATEST_VERSION) checkTables(tables, path);
  return version;
}

/**
 * A writer needs the file and its folder (for the -wal and -shm files)
 * writable; SQLite itself would quietly open a read-only file read-only
 * and fail only at the first write, with a message that names no file.
 */
function checkWritable(path: string): void {
  for (const [target, what] of [
    [path, 'file'],
    [dirname(path), 'folder'],
  ] as const) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue; // a new file: SQLite creates it, or names what stops it
      throw new StoreError(
        'read-only',
        `cannot write "${path}": its ${what} is read-only (${String(code)}); commands that only read (list, show, export) still work`,
        { cause },
      );
    }
  }
}

function quickCheck(db: Database.Database, path: string): void {
  const result = db.pragma('quick_check', { simple: true });
  if (result !== 'ok') throw new StoreError('corrupt', `"${path}" failed its integrity check: ${String(result)}`);
}

/**
 * A read-only connection. Reading a WAL-mode file needs its -shm file
 * (created when absent); in a folder that cannot be written (a read-only
 * mount) there is none to be had, so the file is read into memory instead,
 * which is exact while no -wal file holds changes (SQLite removes it when
 * the last writer closes). With changes in a -wal file and no way to read
 * them, the file is refused rather than shown out of date.
 */
function readOnlyConnection(path: string, nativeBinding: string | undefined): Database.Database {
  const db = connect(path, true, nativeBinding);
  try {
    db.pragma('schema_version'); // the first read opens the WAL index, if it can
    return db;
  } catch (cause) {
    db.close();
    const code = String((cause as { code?: unknown }).code);
    if (code !== 'SQLITE_READONLY_DIRECTORY' && code !== 'SQLITE_CANTOPEN') throw asOpenError(path, cause);
    if ((fileSize(`${path}-wal`) ?? 0) > 0) {
      throw new StoreError(
        'cannot-open',
        `cannot read "${path}": changes in "${path}-wal" can only be read by creating "${path}-shm" beside it, and its folder is read-only; ` +
          'open it once where the folder can be written, or copy the folder there',
        { cause },
      );
    }
    return inMemoryCopy(path, nativeBinding);
  }
}

/** The file's bytes as a read-only in-memory database (header bytes 18-19 set from WAL to rollback mode, which memory databases need). */
function inMemoryCopy(path: string, nativeBinding: string | undefined): Database.Database {
  const bytes = fs.readFileSync(path);
  if (bytes[18] === 2 && bytes[19] === 2) bytes.fill(1, 18, 20);
  try {
    return new Database(bytes, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (cause) {
    throw asOpenError(path, cause);
  }
}

function readHeader(path: string): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  const fd = fs.openSync(path, 'r');
  try {
    fs.readSync(fd, header, 0, HEADER_BYTES, 0);
  } finally {
    fs.closeSync(fd);
  }
  return header;
}

/** The connection itself; failing to make one (no folder, no permission) is 'cannot-open'. */
function connect(path: string, readonly: boolean, nativeBinding: string | undefined): Database.Database {
  try {
    return new Database(path, { readonly, fileMustExist: readonly, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError('cannot-open', `cannot open "${path}": ${message}`, { cause });
  }
}

function tableNames(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

function checkTables(tables: readonly string[], path: string): void {
  const present = new Set(tables);
  const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
  if (missing.length > 0) {
    throw new StoreError('corrupt', `"${path}" is missing the table(s) ${missing.join(', ')}`);
  }
}

const ACCESS_CODES = ['SQLITE_CANTOPEN', 'SQLITE_PERM', 'SQLITE_READONLY', 'SQLITE_BUSY', 'SQLITE_AUTH'];

/** Our own errors pass through; SQLite's damage and access codes become StoreErrors. */
function asOpenError(path: string, cause: unknown): Error {
  if (cause instanceof StoreError) return cause;
  const code = String((cause as { code?: unknown }).code);
  const message = cause instanceof Error ? cause.message : String(cause);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', `"${path}" is damaged: ${message}`, { cause });
  }
  if (ACCESS_CODES.some((c) => code.startsWith(c))) {
    return new StoreError('cannot-open', `cannot open "${path}": ${message}`, { cause });
  }
  return cause instanceof Error ? cause : new Error(message);
}
