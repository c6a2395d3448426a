// Build the whole app once before the end-to-end tests (electron-vite, into
// out/): the browser tests load the renderer from out/renderer through the
// serve-mode server, the shell test runs out/main/index.js, and the fault
// suite runs the CLI as a user does (bin/rnn-workbench.js, which takes the
// bundle while it is newer than the sources).

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './support/app';

export default function setup(): void {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--config', 'electron.config.ts', '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
}
