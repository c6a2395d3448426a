// Which CLI the launcher runs: the built bundle (`npm run build`, or
// `npm start`, which builds) when it is at least as new as every source
// file, else the TypeScript sources through tsx. A bundle older than the
// sources (say after `git pull`) would otherwise run old code without a word.

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
 * For the package at `root`: { built: true, path } for out/main/cli.js when it
 * exists and no file under main/, common/ or native-worker/ is newer, else
 * { built: false, path } for main/cli/index.ts.
 */
export function cliEntry(root) {
  const built = join(root, 'out', 'main', 'cli.js');
  const fresh =
    existsSync(built) && newest([join(root, 'main'), join(root, 'common'), join(root, 'native-worker')]) <= statSync(built).mtimeMs;
  return fresh ? { built: true, path: built } : { built: false, path: join(root, 'main', 'cli', 'index.ts') };
}
