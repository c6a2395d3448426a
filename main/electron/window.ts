// The main window: opened where it was last closed (validated and fitted
// to the screens present now), with the locked-down web preferences of
// security.ts, shown once its first paint is ready.

import { BrowserWindow, screen } from 'electron';
import { APP_NAME } from '../paths';
import { hardenContents, webPreferences } from './security';
import { MIN_SIZE, placeWindow, readWindowState, writeWindowState } from './window-state';

export interface MainWindowOptions {
  preload: string;
  /** The page to load: the app's own scheme, or the dev server in `npm run dev`. */
  url: string;
  stateFile: string;
  /** The window icon where the OS takes it from the window (Linux, Windows in a checkout). */
  icon?: string;
}

export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const state = placeWindow(
    readWindowState(o.stateFile, (m) => console.warn(`window state: ${m}`)),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: APP_NAME,
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: webPreferences(o.preload),
  });
  hardenContents(win.webContents, o.url);
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const b = win.getNormalBounds();
    try {
      writeWindowState(o.stateFile, {
        x: b.x,
        y: b.y,
        width: Math.max(b.width, MIN_SIZE.width),
        height: Math.max(b.height, MIN_SIZE.height),
        maximized: win.isMaximized(),
      });
    } catch (e) {
      console.warn(`window state: cannot save ${o.stateFile}: ${(e as Error).message}`);
    }
  });
  void win.loadURL(o.url);
  return win;
}
