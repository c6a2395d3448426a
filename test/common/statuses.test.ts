import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES, ENDED_STATUSES, RUN_STATUSES } from '../../common/statuses';
import { migrate } from '../../main/store/migrate';
import { LATEST_VERSION, MIGRATIONS } from '../../main/store/migrations/index';

describe('run statuses', () => {
  it('are the statuses the runs table accepts, in the same order', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, LATEST_VERSION);
    const sql = db.prepare<[], string>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'").pluck().get()!;
    db.close();
    const list = /CHECK \(status IN \(([^)]*)\)\)/.exec(sql)?.[1];
    expect(list?.split(',').map((s) => s.trim().replace(/^'|'$/g, ''))).toEqual([...RUN_STATUSES]);
  });

  it('split into created, active and ended with no status in two groups or none', () => {
    const groups = ['created', ...ACTIVE_STATUSES, ...ENDED_STATUSES];
    expect([...groups].sort()).toEqual([...RUN_STATUSES].sort());
  });
});
