// A worker whose host dies while the worker is still loading (the CLI or
// serve SIGKILLed in its first moments): its first message can no longer
// be delivered. It must end quietly, not print an EPIPE stack trace into
// the terminal it shares with its dead host.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workerSource } from '../../support/workers';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('an orphaned worker', () => {
  it('ends quietly when its host died before its first message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-orphan-'));
    const stderr = join(dir, 'stderr.txt');
    // a host that starts the worker (as node-channels does) and dies at once, before the worker has loaded
    const host = `const { fork } = require('node:child_process'); const fs = require('node:fs');
      const c = fork(${JSON.stringify(workerSource)}, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', fs.openSync(${JSON.stringify(stderr)}, 'w'), 'ipc'] });
      process.stdout.write(String(c.pid)); process.exit(0);`;
    const pid = Number(execFileSync(process.execPath, ['-e', host], { cwd: process.cwd(), encoding: 'utf8' }));
    for (let i = 0; i < 600 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
    expect(readFileSync(stderr, 'utf8')).toBe('');
  });
});
