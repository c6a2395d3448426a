// A source checkout's worker runs through tsx, found from the checkout
// itself: the CLI is started from any folder, not only the checkout's.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { childProcessChannel } from '../../../main/worker-host/node-channels';
import { WorkerHost } from '../../../main/worker-host/host';
import { ENGINE_VERSION } from '../../../native-worker/engine-api';
import { workerSource } from '../../support/workers';

const home = process.cwd();
afterEach(() => process.chdir(home));

describe('childProcessChannel', () => {
  it('starts the TypeScript worker from a working directory with no node_modules', async () => {
    process.chdir(mkdtempSync(join(tmpdir(), 'wb-elsewhere-')));
    const host = new WorkerHost(childProcessChannel({ file: workerSource, typescript: true }));
    try {
      expect(await host.ready).toContain(ENGINE_VERSION);
    } finally {
      host.kill();
    }
  });
});
