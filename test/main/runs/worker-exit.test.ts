// A worker that dies before it starts: the run is recorded once, and what
// the manager announces (what the CLI prints) is what the database holds.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../../../common/contract';
import { openWorkbench } from '../../../main/workbench';
import { childProcessChannel } from '../../../main/worker-host/node-channels';
import { parseConfig } from '../../../native-worker/config';
import { tempDatabase, waitFor } from '../../support/workbench';

describe('run manager, worker exits before it is ready', () => {
  it('records the run as failed once, and announces that same status', async () => {
    const dying = join(mkdtempSync(join(tmpdir(), 'wb-dying-')), 'worker.mjs');
    writeFileSync(dying, 'process.exit(3);\n');
    const wb = openWorkbench({ databasePath: tempDatabase(), spawn: () => childProcessChannel({ file: dying, typescript: false }) });
    try {
      const run = wb.manager.create({ config: parseConfig({ training: { steps: 5 } }), name: null });
      const announced: RunStatus[] = [];
      wb.manager.on('changed', (r) => {
        if (r.id === run.id) announced.push(r.status);
      });
      wb.manager.start(run.id);
      const end = await waitFor(wb, run.id, ['failed', 'crashed']);
      await new Promise((r) => setImmediate(r)); // the rejected calls of the dead worker settle
      const stored = wb.store.getRun(run.id)!;
      expect(end.status).toBe('failed');
      expect(stored.status).toBe('failed');
      expect(stored.endMessage).toMatch(/the training worker exited \(exit code 3\) before it started/);
      expect(announced.filter((s) => s === 'failed' || s === 'crashed')).toEqual(['failed']);
    } finally {
      await wb.close();
    }
  });
});
