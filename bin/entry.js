// Which CLI the launcher runs: the CLI's build in out/cli/ (bin/build-cli.js)
// when it is at least as new as every source file, else the TypeScript
// sources through tsx. A build older than the sources (say after `git pull`)
// would otherwise run old code without a word; the launcher rebuilds it
// first (about a second), and only where that fails runs the sources.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time of the files below the folders (0 where there are none). */
function newest(dirs) {
  let latest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) latest = Math.max(latest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return latest;
}

/**
 * For the package at `root`: { built: true, path, version } for out/cli/cli.js
 * (and `--version`'s entry beside it) when it exists and no file under main/,
 * common/ or native-worker/ is newer, else { built: false, path } for
 * main/cli/index.ts.
 */
export function cliEntry(root) {
  const dir = join(root, 'out', 'cli');
  const built = join(dir, 'cli.js');
  const fresh =
    existsSync(built) && newest([join(root, 'main'), join(root, 'common'), join(root, 'native-worker')]) <= statSync(built).mtimeMs;
  return fresh
    ? { built: true, path: built, version: join(dir, 'version.js') }
    : { built: false, path: join(root, 'main', 'cli', 'index.ts') };
}
