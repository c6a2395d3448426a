// Where the workbench keeps its database: the platform's app-data folder,
// the same one Electron's app.getPath('userData') gives the desktop app, so
// runs trained from the CLI appear in the app. RNN_WORKBENCH_DB (or --db)
// overrides it.

import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'RNN Workbench';
export const DATABASE_FILE = 'workbench.db';

/** Electron's userData folder for this app, computed the way Electron does. */
export function userDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_NAME);
}

export function defaultDatabasePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.RNN_WORKBENCH_DB || join(userDataDir(process.platform, env), DATABASE_FILE);
}
