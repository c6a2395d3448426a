// The CLI launcher runs the built bundle only when it is up to date with the
// sources (bin/entry.js), so a checkout with an old build never runs old code.

import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEntry } from '../../../bin/entry.js';

function packageWith(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'wb-entry-'));
  for (const [file, seconds] of Object.entries(files)) {
    const path = join(root, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
    utimesSync(path, seconds, seconds);
  }
  return root;
}

describe('the CLI launcher', () => {
  it('runs the built bundle when no source is newer, else the sources', () => {
    const fresh = packageWith({ 'out/main/cli.js': 2000, 'main/cli/index.ts': 1000, 'native-worker/engine/native/kernels.c': 1500 });
    expect(cliEntry(fresh)).toEqual({ built: true, path: join(fresh, 'out/main/cli.js') });
    const stale = packageWith({ 'out/main/cli.js': 2000, 'main/cli/index.ts': 1000, 'native-worker/engine/native/kernels.c': 2500 });
    expect(cliEntry(stale)).toEqual({ built: false, path: join(stale, 'main/cli/index.ts') });
    // common/ is bundled into the CLI as well (the contract, the value lists)
    const shared = packageWith({ 'out/main/cli.js': 2000, 'main/cli/index.ts': 1000, 'common/values.ts': 2500 });
    expect(cliEntry(shared)).toEqual({ built: false, path: join(shared, 'main/cli/index.ts') });
    const unbuilt = packageWith({ 'main/cli/index.ts': 1000 });
    expect(cliEntry(unbuilt)).toEqual({ built: false, path: join(unbuilt, 'main/cli/index.ts') });
  });
});
