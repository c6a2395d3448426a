// Schema migrations: an ordered list, each applied in its own transaction
// and recorded in PRAGMA user_version (Signal Desktop's pattern). The same
// transaction stamps PRAGMA application_id, so a file is marked as ours in
// the very commit that creates our tables and never before.

import type Database from 'better-sqlite3';
import { StoreError } from './errors';

/** PRAGMA application_id of every file we write: 'RNNW' as a big-endian int32. */
export const APP_ID = 0x524e4e57;

export interface Migration {
  /** The user_version the database has after this migration. */
  version: number;
  /** One line on what it changes, for logs and errors. */
  description: string;
  /** Runs inside a transaction opened by migrate(); must not open its own. */
  up(db: Database.Database): void;
}

/** Versions must be 1, 2, 3, … with no gap, repeat or reordering. */
export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration #${i} ('${m.description}') has version ${m.version}; versions must increase by one from 1`);
    }
  });
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `target` (default: the newest migration).
 * Refuses a database newer than the list it is given. PRAGMA values cannot
 * be bound as parameters; the only ones interpolated here are integers from
 * the checked migration list and the APP_ID constant.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], target = migrations.length): { from: number; to: number } {
  checkMigrationList(migrations);
  if (!Number.isInteger(target) || target < 0 || target > migrations.length) {
    throw new RangeError(`migration target ${target} is outside 0..${migrations.length}`);
  }
  const from = userVersion(db);
  if (from > migrations.length) {
    throw new StoreError(
      'newer-schema',
      `the database has schema version ${from}, but this build only knows versions up to ${migrations.length}; ` +
        'open it with a newer version of the app',
    );
  }
  for (const m of migrations.slice(from, target)) {
    const apply = db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      db.pragma(`application_id = ${APP_ID}`);
    });
    try {
      apply.immediate();
    } catch (cause) {
      throw new StoreError('migration-failed', `migration ${m.version} ('${m.description}') failed: ${String(cause)}`, { cause });
    }
  }
  return { from, to: Math.max(from, target) };
}
