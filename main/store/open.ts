// Opening the one database file. An existing file is inspected before we
// take it: its header bytes first (is it SQLite at all?), then, over a
// read-only connection, its application_id, schema version and tables.
// Anything that is not ours, or ours but newer than this build, is refused
// with a StoreError and left byte-for-byte as it was. Only then is the file
// opened for writing and migrated.

import fs from 'node:fs';
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
    if (options.quickCheck) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') throw new StoreError('corrupt', `"${path}" failed its integrity check: ${String(result)}`);
    }
    return db;
  } catch (cause) {
    db.close();
    throw asOpenError(path, cause);
  }
}

function inspectExisting(path: string, nativeBinding: string | undefined): void {
  let size: number;
  try {
    size = fs.statSync(path).size;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new StoreError('cannot-open', `cannot read "${path}": ${(cause as Error).message}`, { cause });
  }
  if (size === 0) return; // SQLite treats an empty file as an empty database
  if (size < HEADER_BYTES || !readHeader(path).subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new StoreError('not-a-database', `"${path}" is not an RNN Workbench database: it is not an SQLite file`);
  }
  // The header's own application_id and user_version can be stale while a
  // WAL file holds newer page-1 contents, so ask SQLite, read-only.
  let appId: number;
  let version: number;
  let tables: string[];
  const ro = connect(path, true, nativeBinding);
  try {
    appId = ro.pragma('application_id', { simple: true }) as number;
    version = ro.pragma('user_version', { simple: true }) as number;
    tables = tableNames(ro);
  } catch (cause) {
    throw asOpenError(path, cause);
  } finally {
    ro.close();
  }
  if (appId !== APP_ID && (appId !== 0 || tables.length > 0)) {
    const what = appId === 0 ? `tables ${tables.slice(0, 5).join(', ')}` : `application_id 0x${(appId >>> 0).toString(16)}`;
    throw new StoreError(
      'foreign-database',
      `"${path}" is an SQLite database of another application (${what}); it was left untouched`,
    );
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
