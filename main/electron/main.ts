// The desktop app's main process: a thin shell over the same services as
// the CLI (openWorkbench), with training in Electron utility processes, the
// API on IPC, the renderer served under app://workbench/, and the app's
// lifecycle (one instance, macOS activate, quitting that stops runs first).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { invoke } from '../api/handlers';
import { openWorkbench, type Workbench } from '../workbench';
import { APP_NAME, DATABASE_FILE, userDataDir } from '../paths';
import { APP_VERSION } from '../version';
import { ENGINE_VERSION } from '../../native-worker/engine-api';
import { forwardEvents, PROGRESS_INTERVAL_MS } from '../api/event-forwarder';
import { registerIpc, type Call } from './ipc';
import { importArchive } from './import-archive';
import { saveExport } from './save-export';
import { buildMenu } from './menu';
import { checkNativeBinding, engineKernelsDir, nativeBindingDir } from './native-binding';
import { QuitGuard } from './quit-guard';
import { APP_SCHEME, APP_URL, rendererResponse } from './renderer-files';
import { CONTENT_SECURITY_POLICY, devContentSecurityPolicy, hardenSession } from './security';
import { utilityChannel } from './utility-channel';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url)); // out/main
const files = {
  preload: join(here, '../preload/index.cjs'),
  renderer: join(here, '../renderer'),
  worker: join(here, 'worker.js'),
};
/** The renderer's dev server (`npm run dev`); never honoured in a packaged app. */
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const pageUrl = devUrl ?? APP_URL;
const mac = process.platform === 'darwin';

app.setName(APP_NAME);
// The same folder the CLI uses (main/paths.ts), so runs trained there show up here.
app.setPath('userData', process.env.RNN_WORKBENCH_USER_DATA || userDataDir());
app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: APP_VERSION, version: `engine ${ENGINE_VERSION}` });
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let wb: Workbench | null = null;
  let win: BrowserWindow | null = null;
  const call: Call = (channel, args) =>
    wb ? invoke(wb.handlers, channel, args) : Promise.resolve({ ok: false, error: { code: 'closed', message: 'the app is quitting' } });

  const openWindow = (): BrowserWindow => {
    const w = createMainWindow({
      preload: files.preload,
      url: pageUrl,
      stateFile: join(app.getPath('userData'), 'window-state.json'),
      icon: app.isPackaged ? undefined : join(app.getAppPath(), 'build', 'icon.png'),
    });
    // Closing the last window quits (except on macOS): ask first while runs train.
    w.on('close', (e) => {
      if (!mac && !guard.closed) {
        e.preventDefault();
        app.quit();
      }
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    return w;
  };

  const guard = new QuitGuard({
    busyRuns: () => (wb ? wb.store.listRuns({ status: ['queued', 'running', 'paused'] }).length : 0),
    confirm: async (n) => {
      const options = {
        type: 'question' as const,
        buttons: ['Stop and Quit', 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        message: `${n} run${n === 1 ? ' is' : 's are'} still training.`,
        detail: 'Quitting stops them cleanly: each keeps everything trained so far, and can be resumed later.',
      };
      const { response } = win ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
      return response === 0;
    },
    shutdown: async () => {
      if (!wb) return;
      const closing = wb;
      await closing.close();
      wb = null;
    },
    quit: () => app.quit(),
    report: (e) => console.error('while quitting:', e),
  });

  app.on('before-quit', (e) => guard.beforeQuit(e));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => guard.quitWithoutAsking());
  app.on('window-all-closed', () => {
    if (!mac) app.quit();
  });
  app.on('activate', () => {
    if (wb && BrowserWindow.getAllWindows().length === 0) win = openWindow();
  });
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // Whatever web contents ever exist: no pop-up windows, no <webview>.
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  void app.whenReady().then(() => {
    try {
      wb = openServices();
    } catch (e) {
      dialog.showErrorBox(`${APP_NAME} cannot start`, e instanceof Error ? e.message : String(e));
      app.exit(1);
      return;
    }
    const ses = session.defaultSession;
    hardenSession(ses, pageUrl);
    protocol.handle(APP_SCHEME, (request) => rendererResponse(files.renderer, request.url, CONTENT_SECURITY_POLICY));
    if (devUrl) {
      const csp = devContentSecurityPolicy(devUrl);
      ses.webRequest.onHeadersReceived((details, done) =>
        done({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } }),
      );
    }
    // A download started by the page (a chart's image) becomes a native save dialog; exports are saved by main.
    ses.on('will-download', (_e, item) => {
      item.setSaveDialogOptions({ title: 'Save', defaultPath: join(app.getPath('downloads'), item.getFilename()) });
    });
    wb.handlers['export:save'] = saveExport(wb, () => win);
    registerIpc(ipcMain, call, pageUrl);
    forwardEvents(
      wb.manager,
      (event, payload) => {
        if (win && !win.isDestroyed()) win.webContents.send(event, payload);
      },
      PROGRESS_INTERVAL_MS,
    );
    Menu.setApplicationMenu(
      buildMenu({
        mac,
        dev: !app.isPackaged,
        importArchive: () => void importArchive(win, wb, (event, payload) => win?.webContents.send(event, payload)),
      }),
    );
    win = openWindow();
  });
}

/** The store (with better-sqlite3 built for Electron), the run manager over utility processes, the handlers. */
function openServices(): Workbench {
  const require = createRequire(import.meta.url);
  const nativeBinding = checkNativeBinding(
    nativeBindingDir({ packaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath }),
    {
      electron: process.versions.electron,
      betterSqlite3: (require('better-sqlite3/package.json') as { version: string }).version,
      platform: process.platform,
      arch: process.arch,
    },
  );
  return openWorkbench({
    databasePath: process.env.RNN_WORKBENCH_DB || join(app.getPath('userData'), DATABASE_FILE),
    spawn: () => utilityChannel(files.worker, engineKernelsDir({ packaged: app.isPackaged, resourcesPath: process.resourcesPath })),
    nativeBinding,
    ownerLabel: 'RNN Workbench (desktop app)',
  });
}
