// Start a training worker every way the product does, for tests.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Checkpoint, RunConfig, WorkerToHost } from '../../common/contract';
import { childProcessChannel, workerThreadChannel } from '../../main/worker-host/node-channels';
import { WorkerHost } from '../../main/worker-host/host';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const workerSource = resolve(root, 'native-worker/process/index.ts');

export type Way = 'child-process' | 'worker-thread' | 'electron-parent-port';

export function startWorker(way: Way): WorkerHost {
  switch (way) {
    case 'child-process':
      return new WorkerHost(childProcessChannel({ file: workerSource, typescript: true }));
    case 'worker-thread':
      return new WorkerHost(workerThreadChannel({ file: workerSource, typescript: true }));
    case 'electron-parent-port':
      return new WorkerHost(
        childProcessChannel({
          file: workerSource,
          typescript: true,
          preload: [resolve(root, 'test/support/electron-parent-port.ts')],
        }),
      );
  }
}

export interface Collected {
  progress: Extract<WorkerToHost, { type: 'progress' }>[];
  ended: Extract<WorkerToHost, { type: 'ended' }>;
}

/** Start a run and collect everything it streams until it ends. */
export async function runToEnd(host: WorkerHost, config: RunConfig, checkpoint: Checkpoint | null = null): Promise<Collected> {
  const progress: Collected['progress'] = [];
  host.on('progress', (p) => progress.push(p));
  const ended = new Promise<Collected['ended']>((res) => host.on('ended', res));
  await host.ready;
  await host.start(config, checkpoint, 20);
  return { progress, ended: await ended };
}
