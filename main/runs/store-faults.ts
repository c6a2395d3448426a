// What to tell the user when the store cannot take a run's progress: what
// happened to the file, what was kept, and what to do next.

import { StoreError } from '../store/errors';
import { isBusy } from './write-queue';

export function storeFaultMessage(e: unknown, o: { path: string; runId: number; busyDeadlineMs: number }): string {
  const code = String((e as { code?: unknown } | null)?.code);
  const resume = `then resume it (rnn-workbench resume ${o.runId}, or Resume in the app): everything stored so far is kept`;
  if (code.startsWith('SQLITE_FULL')) return `the disk holding "${o.path}" is full: free some space, ${resume}`;
  if (isBusy(e)) {
    return `another program held "${o.path}" locked for more than ${Math.round(o.busyDeadlineMs / 1000)} s: close it (a database browser with unsaved changes?), ${resume}`;
  }
  if (code.startsWith('SQLITE_READONLY'))
    return `"${o.path}" can no longer be written (read-only file, folder or disk): make it writable, ${resume}`;
  if (code.startsWith('SQLITE_IOERR')) return `writing "${o.path}" failed (${(e as Error).message}): check the disk, ${resume}`;
  if (e instanceof StoreError && e.code === 'owned-elsewhere') return `${e.message}; this process stopped training it`;
  return `storing the run's progress in "${o.path}" failed (${e instanceof Error ? e.message : String(e)}); ${resume}`;
}

/** The run's row is gone: another process deleted it while this one trained it. */
export function runWasDeleted(e: unknown): boolean {
  return e instanceof StoreError && e.code === 'no-such-run';
}
