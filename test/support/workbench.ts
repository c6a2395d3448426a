// A workbench on a temporary database with real worker child processes,
// and helpers to wait for a run to reach a state.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunStatus, RunSummary } from '../../common/contract';
import { openWorkbench, type Workbench, type WorkbenchOptions } from '../../main/workbench';
import type { WorkerChannel } from '../../main/worker-host/channel';
import { childProcessChannel } from '../../main/worker-host/node-channels';
import { workerSource } from './workers';

export interface TestBench extends Workbench {
  channels: WorkerChannel[];
}

export function tempDatabase(): string {
  return join(mkdtempSync(join(tmpdir(), 'wb-')), 'workbench.db');
}

export function testWorkbench(databasePath = tempDatabase(), maxConcurrent = 2, more: Partial<WorkbenchOptions> = {}): TestBench {
  const channels: WorkerChannel[] = [];
  const wb = openWorkbench({
    databasePath,
    maxConcurrent,
    progressEveryMs: 10,
    timing: { pollMs: 50 },
    ...more,
    spawn: () => {
      const ch = childProcessChannel({ file: workerSource, typescript: true });
      channels.push(ch);
      return ch;
    },
  });
  return Object.assign(wb, { channels });
}

/** Resolves when the run reaches one of the statuses. */
export function waitFor(wb: Workbench, id: number, statuses: RunStatus[]): Promise<RunSummary> {
  return new Promise((resolve) => {
    const now = wb.store.getRun(id);
    if (now && statuses.includes(now.status)) return resolve(now);
    const off = wb.manager.on('changed', (r) => {
      if (r.id === id && statuses.includes(r.status)) {
        off();
        resolve(r);
      }
    });
  });
}

/** Resolves once the store holds at least `step` steps of the run. */
export function waitForStep(wb: Workbench, id: number, step: number): Promise<void> {
  return new Promise((resolve) => {
    const off = wb.manager.on('progress', (p) => {
      if (p.id === id && (p.steps.at(-1)?.step ?? 0) >= step) {
        off();
        resolve();
      }
    });
  });
}
