// Each e2e file starts once the app's build (global-setup.ts) has ended,
// and fails with the build's output if it failed.

import { existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';

export type BuildStatus = { ok: true } | { ok: false; message: string };

async function built(dir: string): Promise<void> {
  const file = join(dir, 'status.json');
  await new Promise<void>((resolve) => {
    const ended = () => {
      if (!existsSync(file)) return;
      watcher.close();
      resolve();
    };
    const watcher = watch(dir, ended);
    ended(); // it may have ended before the watch began
  });
  const status = JSON.parse(readFileSync(file, 'utf8')) as BuildStatus;
  if (!status.ok) throw new Error(`${status.message}:\n${readFileSync(join(dir, 'build.log'), 'utf8')}`);
}

await built(inject('e2eBuild'));
