// Faults in the store while a run trains: a full disk, a write lock another
// program holds, the run deleted by another process. Each ends the run with
// a status and a message that says what to do; the process stays up, and
// what was stored resumes to the bits of an uninterrupted run.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TestBench } from '../../support/workbench';
import { waitFor, waitForStep } from '../../support/workbench';
import { benchPerTest, config, oneToN, stepsOf, train, weightsOf } from './fixtures';

const { bench } = benchPerTest();

/** The manager's own connection: PRAGMA max_page_count on it makes this process's writes fail as on a full disk. */
const connectionOf = (wb: TestBench): Database.Database => (wb.store as unknown as { db: Database.Database }).db;

describe('store faults end a run cleanly', () => {
  it('disk full: the run fails saying to free space, the process stays up, and it resumes bit-identically', async () => {
    const wb = bench();
    const whole = await train(wb, config(3000));
    const run = wb.manager.create({ config: config(3000), name: null });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 50);
    const db = connectionOf(wb);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const failed = await waitFor(wb, run.id, ['failed', 'completed']);
    expect(failed.status).toBe('failed');
    expect(failed.endMessage).toMatch(
      new RegExp(`^the disk holding ".*workbench\\.db" is full: free some space, then resume it \\(rnn-workbench resume ${run.id}`),
    );
    await waitForActive(wb, 0);
    db.pragma('max_page_count = 1073741823');
    const stored = wb.store.getRun(run.id)!;
    expect(stored.status).toBe('failed'); // the status fits in the pages already there
    expect(stepsOf(wb, run.id)).toEqual(oneToN(stored.lastStep!));
    await wb.manager.resume(run.id);
    expect((await waitFor(wb, run.id, ['completed', 'failed'])).status).toBe('completed');
    expect(weightsOf(wb, run.id)).toEqual(weightsOf(wb, whole));
    expect(stepsOf(wb, run.id)).toEqual(oneToN(3000));
    expect(wb.store.integrityCheck()).toEqual(['ok']);
  });

  it('a write lock held briefly by another program: the batches wait and every step is stored once', async () => {
    const wb = bench(undefined, 2, { timing: { pollMs: 50, busyDeadlineMs: 10_000 } });
    const run = wb.manager.create({ config: config(1500), name: null });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 20);
    const release = holdWriteLock(wb);
    await new Promise((r) => setTimeout(r, 600));
    release();
    // a write waits for the lock synchronously for 50 ms at most (it was 5 s, freezing serve); the rest of the wait is the queue's, asynchronous
    expect(connectionOf(wb).pragma('busy_timeout', { simple: true })).toBe(50);
    expect((await waitFor(wb, run.id, ['completed', 'failed'])).status).toBe('completed');
    expect(stepsOf(wb, run.id)).toEqual(oneToN(1500));
  });

  it('a write lock held past the deadline: the run fails naming the file and what to do', async () => {
    const wb = bench(undefined, 2, { timing: { pollMs: 50, busyDeadlineMs: 300 } });
    const run = wb.manager.create({ config: config(1e9), name: null });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 20);
    const release = holdWriteLock(wb);
    const failed = await waitFor(wb, run.id, ['failed']);
    release();
    expect(failed.endMessage).toMatch(/^another program held ".*workbench\.db" locked for more than 0 s: close it .*then resume it/);
    await waitForActive(wb, 0);
    // the status could not be written while the lock was held: it is, once the lock is gone
    while (wb.store.getRun(run.id)!.status !== 'failed') await new Promise((r) => setTimeout(r, 20));
    expect(wb.store.getRun(run.id)!.endMessage).toBe(failed.endMessage);
    expect(wb.store.otherOwner(run.id)).toBeNull();
    expect(stepsOf(wb, run.id)).toEqual(oneToN(wb.store.getRun(run.id)!.lastStep!));
  });

  it('the run deleted by another process: the owner stops training it and says so, without a stack trace', async () => {
    const wb = bench();
    const run = wb.manager.create({ config: config(1e9), name: null });
    wb.manager.start(run.id);
    await waitForStep(wb, run.id, 20);
    const deleted = new Promise<number>((resolve) => wb.manager.on('deleted', (d) => resolve(d.id)));
    const other = new Database(wb.databasePath);
    other.pragma('foreign_keys = ON');
    other.prepare('DELETE FROM runs WHERE id = ?').run(run.id); // as an older build or a database tool would
    other.close();
    expect(await deleted).toBe(run.id);
    await waitForActive(wb, 0);
    expect(wb.store.getRun(run.id)).toBeNull();
  });
});

/** Another program's connection takes the write lock (BEGIN IMMEDIATE) until the returned function is called. */
function holdWriteLock(wb: TestBench): () => void {
  const other = new Database(wb.databasePath);
  other.prepare('BEGIN IMMEDIATE').run();
  return () => {
    other.prepare('COMMIT').run();
    other.close();
  };
}

async function waitForActive(wb: TestBench, n: number): Promise<void> {
  while (wb.manager.activeIds.length !== n) await new Promise((r) => setTimeout(r, 20));
}
