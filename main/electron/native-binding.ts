// Where the desktop app finds its native builds: better-sqlite3 built for
// Electron's ABI (made by scripts/electron-sqlite.mjs; see there why it is a
// separate copy), with a clear refusal when it is missing or was built for
// another Electron; and the engine's optional kernels.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADDON_FILE = 'better_sqlite3.node';
export const STAMP_FILE = 'stamp.json';

export interface NativeStamp {
  electron: string;
  betterSqlite3: string;
  platform: string;
  arch: string;
}

/** build/electron-native/ in a checkout (`npm start`); resources/electron-native/ in the packaged app. */
export function nativeBindingDir(o: { packaged: boolean; appPath: string; resourcesPath: string }): string {
  return o.packaged ? join(o.resourcesPath, 'electron-native') : join(o.appPath, 'build', 'electron-native');
}

/**
 * The folder of the engine kernels' portable builds in the packaged app
 * (resources/engine-native/, made by `build.ts --portable` in `npm run dist`),
 * which the training workers are given; null in a checkout (`npm start`),
 * where the workers find the build `npm install` made for this machine.
 */
export function engineKernelsDir(o: { packaged: boolean; resourcesPath: string }): string | null {
  return o.packaged ? join(o.resourcesPath, 'engine-native') : null;
}

const REBUILD = 'run `node scripts/electron-sqlite.mjs` (npm start does this)';

/** The addon's path; throws an Error saying what to do when it is absent or built for another runtime. */
export function checkNativeBinding(dir: string, runtime: NativeStamp): string {
  const addon = join(dir, ADDON_FILE);
  if (!existsSync(addon)) {
    throw new Error(`better-sqlite3 has no build for Electron in ${dir}: ${REBUILD}.`);
  }
  let stamp: Partial<NativeStamp>;
  try {
    stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as Partial<NativeStamp>;
  } catch (e) {
    throw new Error(`cannot read ${join(dir, STAMP_FILE)} (${(e as Error).message}): ${REBUILD}.`);
  }
  const wrong = (Object.keys(runtime) as (keyof NativeStamp)[]).filter((k) => stamp[k] !== runtime[k]);
  if (wrong.length > 0) {
    const was = wrong.map((k) => `${k} ${String(stamp[k])}`).join(', ');
    const is = wrong.map((k) => `${k} ${runtime[k]}`).join(', ');
    throw new Error(`the better-sqlite3 build in ${dir} is for ${was}, but this app runs ${is}: ${REBUILD}.`);
  }
  return addon;
}
