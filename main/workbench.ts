// The services without Electron: the store, the run manager with worker
// child processes, and the API handlers. The CLI, `serve` and the tests
// build exactly this; the desktop shell builds the same with utility
// processes.

import { availableParallelism } from 'node:os';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHandlers, type Handlers } from './api/handlers';
import { RunManager, type RunManagerOptions } from './runs/manager';
import { StoreError } from './store/errors';
import { Store, type StoreOptions } from './store/store';
import type { WorkerChannel } from './worker-host/channel';
import { childProcessChannel } from './worker-host/node-channels';
import { APP_VERSION } from './version';

export interface Workbench {
  store: Store;
  manager: RunManager;
  handlers: Handlers;
  databasePath: string;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  databasePath: string;
  spawn?: () => WorkerChannel;
  maxConcurrent?: number;
  progressEveryMs?: number;
  /** better-sqlite3's addon built for this runtime's ABI (the desktop app's Electron build). */
  nativeBinding?: string;
  /** What this process is, in messages that name who trains a run (default "rnn-workbench"). */
  ownerLabel?: string;
  /** The run manager's clocks (tests shorten them): see RunManagerOptions. */
  timing?: Pick<RunManagerOptions, 'pollMs' | 'busyDeadlineMs' | 'requestTimeoutMs'> & Pick<StoreOptions, 'ownerStaleMs' | 'busyTimeoutMs'>;
  /**
   * Only read (list, show, export): the database must exist and be current;
   * nothing is created, migrated or recovered, so nothing is written.
   */
  readOnly?: boolean;
}

export function openWorkbench(o: WorkbenchOptions): Workbench {
  if (!o.readOnly) makeFolder(o.databasePath);
  const { pollMs, busyDeadlineMs, requestTimeoutMs, ownerStaleMs, busyTimeoutMs } = o.timing ?? {};
  const storeOptions = { nativeBinding: o.nativeBinding, ownerLabel: o.ownerLabel, ownerStaleMs, busyTimeoutMs };
  const store = o.readOnly ? Store.openReadOnly(o.databasePath, storeOptions) : Store.open(o.databasePath, storeOptions);
  const spawn = o.spawn ?? (() => childProcessChannel());
  const manager = new RunManager({
    store,
    spawn,
    appVersion: APP_VERSION,
    maxConcurrent: o.maxConcurrent ?? Math.max(1, availableParallelism() - 1),
    progressEveryMs: o.progressEveryMs,
    pollMs,
    busyDeadlineMs,
    requestTimeoutMs,
  });
  if (!o.readOnly) manager.recover();
  const handlers = createHandlers({ store, manager, spawn, appVersion: APP_VERSION, databasePath: o.databasePath });
  return {
    store,
    manager,
    handlers,
    databasePath: o.databasePath,
    async close() {
      await manager.shutdown();
      store.close();
    },
  };
}

function makeFolder(databasePath: string): void {
  try {
    mkdirSync(dirname(databasePath), { recursive: true });
  } catch (cause) {
    throw new StoreError('cannot-open', `cannot create the folder for "${databasePath}": ${(cause as Error).message}`, { cause });
  }
}
