// Build the whole app once for the end-to-end tests (electron-vite, into
// out/): the browser tests load the renderer from out/renderer through the
// serve-mode server, the shell test runs out/main/index.js, and the fault
// suite runs the CLI as a user does (bin/rnn-workbench.js, which takes the
// bundle while it is newer than the sources).
//
// The build runs in the background while the unit tests run; each e2e file
// waits for it (built.ts). It is built beside out/ and moved into place
// whole, so a CLI started by a unit test meanwhile takes either a complete
// bundle or the sources, never half of one.

import { spawn } from 'node:child_process';
import { mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { root } from './support/app';
import type { BuildStatus } from './support/built';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder where the e2e build writes its log and, once it has ended, its status (support/built.ts). */
    e2eBuild: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = join(root, 'test-results', `e2e-build-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const staged = join(dir, 'out');
  const log = openSync(join(dir, 'build.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      join(root, 'node_modules/electron-vite/bin/electron-vite.js'),
      'build',
      '--config',
      'electron.config.ts',
      '--logLevel',
      'warn',
      '--outDir',
      staged,
    ],
    { cwd: root, stdio: ['ignore', log, log] },
  );
  const done = (status: BuildStatus) => {
    const partial = join(dir, 'status.partial');
    writeFileSync(partial, JSON.stringify(status));
    renameSync(partial, join(dir, 'status.json'));
  };
  child.on('error', (e) => done({ ok: false, message: e.message }));
  child.on('exit', (code, signal) => {
    if (code !== 0) return done({ ok: false, message: `electron-vite build ended with ${signal ?? `code ${code}`}` });
    const old = join(dir, 'old-out');
    try {
      renameSync(join(root, 'out'), old);
    } catch {
      // no earlier build
    }
    renameSync(staged, join(root, 'out'));
    rmSync(old, { recursive: true, force: true });
    done({ ok: true });
  });
  project.provide('e2eBuild', dir);
  return () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    rmSync(dir, { recursive: true, force: true });
  };
}
