// A stand-in for the parts of Electron's API the shell uses, so the built
// main bundle (out/main/index.js) can run under plain Node in a test: app
// lifecycle, one BrowserWindow, the app:// protocol handler, ipcMain,
// dialogs, the menu, utility processes (Node child processes that get
// Electron's process.parentPort through a preload shim), and the preload's
// contextBridge. The test that forks the shell drives it over the IPC
// channel (driveOverIpc: the Command type) and hears what the shell does
// (the Report type); a test in its own process imports it through vi.mock
// and looks at the objects (`exposed`, BrowserWindow.getAllWindows()).

import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Command =
  | { type: 'invoke'; id: number; channel: string; args: unknown; senderUrl: string | null }
  | { type: 'fetch'; id: number; url: string }
  | { type: 'navigate'; id: number; url: string }
  | { type: 'open-window'; id: number; url: string }
  /** Electron creates a web contents (a pop-up, a devtools page); the answer: its window-open action and whether <webview> was refused. */
  | { type: 'new-contents'; id: number; url: string }
  | { type: 'channels'; id: number }
  | { type: 'quit' };

export type Report =
  | { type: 'window'; url: string; options: Record<string, unknown>; sandboxed: boolean }
  | { type: 'menu'; labels: string[] }
  | { type: 'send'; event: string; payload: unknown }
  | { type: 'dialog'; kind: 'message' | 'error' | 'save'; text: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'exit'; code: number };

let sink: (r: Report) => void = () => undefined;
const report = (r: Report) => sink(r);
const shim = fileURLToPath(new URL('../electron-parent-port.ts', import.meta.url));

// The Electron the shell's better-sqlite3 build is checked against (native-binding.ts).
Object.defineProperty(process.versions, 'electron', { value: process.env.FAKE_ELECTRON_VERSION ?? '0.0.0-fake' });

type Listener = (...args: unknown[]) => unknown;

function preventable(extra: Record<string, unknown> = {}) {
  const e = { ...extra, defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
  return e;
}

class FakeApp extends EventEmitter {
  readonly isPackaged = false;
  private readonly paths = new Map<string, string>();
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((r) => (this.readyResolve = r));
  private quitting = false;

  constructor() {
    super();
    setImmediate(() => this.readyResolve());
  }

  whenReady = () => this.ready;
  setName = (_n: string) => undefined;
  setAboutPanelOptions = () => undefined;
  /** Whether app.enableSandbox() was called (every renderer sandboxed). */
  sandboxed = false;
  enableSandbox = () => void (this.sandboxed = true);
  requestSingleInstanceLock = () => true;
  getAppPath = () => process.env.FAKE_APP_PATH!;
  setPath = (name: string, p: string) => void this.paths.set(name, p);
  getPath = (name: string) => this.paths.get(name) ?? `/tmp/fake-electron-${name}`;
  exit = (code = 0) => {
    report({ type: 'exit', code });
    setImmediate(() => process.exit(code));
  };

  /** As Electron: 'before-quit' (preventable), then the windows close (each preventable), then the process ends. */
  quit = () => {
    if (this.quitting) return;
    const e = preventable();
    this.emit('before-quit', e);
    if (e.defaultPrevented) return;
    this.quitting = true;
    for (const w of [...windows]) {
      if (!w.close()) {
        this.quitting = false;
        return;
      }
    }
    this.exit(0);
  };
}

class FakeWebContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;

  /** As Electron, every web contents created is announced to the app. */
  constructor() {
    super();
    app.emit('web-contents-created', preventable(), this);
  }

  setWindowOpenHandler = (h: (d: { url: string }) => { action: string }) => void (this.openHandler = h);
  send = (event: string, payload: unknown) => report({ type: 'send', event, payload });
  getURL = () => '';
}

const windows: FakeBrowserWindow[] = [];

class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  private destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    windows.push(this);
  }

  static getAllWindows = () => [...windows];
  loadURL = async (url: string) => {
    report({ type: 'window', url, options: this.options, sandboxed: app.sandboxed });
    this.emit('ready-to-show');
  };
  show = () => undefined;
  maximize = () => undefined;
  isMaximized = () => false;
  isMinimized = () => false;
  isDestroyed = () => this.destroyed;
  getNormalBounds = () => ({ x: 10, y: 20, width: 1100, height: 760 });

  /** True when the window closed, false when a 'close' listener kept it open. */
  close(): boolean {
    const e = preventable();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroyed = true;
    windows.splice(windows.indexOf(this), 1);
    this.emit('closed');
    return true;
  }
}

class FakeUtilityProcess extends EventEmitter {
  private readonly child: ChildProcess;

  constructor(modulePath: string, args: string[], options: { env?: Record<string, string> }) {
    super();
    this.child = fork(modulePath, args, {
      execArgv: ['--import', 'tsx', '--import', shim],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: options.env,
    });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('exit', (code) => this.emit('exit', code ?? 1));
  }

  get pid() {
    return this.child.pid;
  }

  postMessage = (m: unknown) => void this.child.send(m as never);
  kill = () => this.child.kill();
}

const handlers = new Map<string, Listener>();
let protocolHandler: ((r: { url: string }) => Promise<Response>) | null = null;

export const app = new FakeApp();
export const BrowserWindow = FakeBrowserWindow;
export const ipcMain = {
  handle: (channel: string, h: Listener) => void handlers.set(channel, h),
  removeHandler: (channel: string) => void handlers.delete(channel),
};
export const protocol = {
  registerSchemesAsPrivileged: () => undefined,
  handle: (_scheme: string, h: (r: { url: string }) => Promise<Response>) => void (protocolHandler = h),
};
export const session = {
  defaultSession: Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    webRequest: { onHeadersReceived: () => undefined },
  }),
};
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }] };
export const dialog = {
  showErrorBox: (title: string, text: string) => report({ type: 'dialog', kind: 'error', text: `${title}: ${text}` }),
  /** Answers as a user clicking the first button ("Stop and Quit"). */
  showMessageBox: async (...a: unknown[]) => {
    report({ type: 'dialog', kind: 'message', text: (a[a.length - 1] as { message: string }).message });
    return { response: 0, checkboxChecked: false };
  },
  showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
  /** Answers as a user keeping the suggested name, saving into the app's data folder. */
  showSaveDialog: async (...a: unknown[]) => {
    const { defaultPath } = a[a.length - 1] as { defaultPath: string };
    report({ type: 'dialog', kind: 'save', text: defaultPath });
    return { canceled: false, filePath: join(app.getPath('userData'), basename(defaultPath)) };
  },
};
export const Menu = {
  buildFromTemplate: (template: { label?: string; role?: string }[]) => template,
  setApplicationMenu: (template: { label?: string; role?: string }[]) =>
    report({ type: 'menu', labels: template.map((m) => m.label ?? m.role ?? '?') }),
};
export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: { env?: Record<string, string> } = {}) =>
    new FakeUtilityProcess(modulePath, args, options),
};

/** The preload's side: what contextBridge.exposeInMainWorld was given, by key. */
export const exposed = new Map<string, unknown>();
export const contextBridge = { exposeInMainWorld: (key: string, value: unknown) => void exposed.set(key, value) };
export const ipcRenderer = { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined };

/** Reports go to the parent over IPC, and its commands are carried out (for the forked shell: register.mjs). */
export function driveOverIpc(): void {
  sink = (r) => process.send!(r);
  process.on('message', (raw) => command(raw as Command));
}

function command(c: Command): void {
  const answer = (id: number, value: unknown) => report({ type: 'result', id, value });
  switch (c.type) {
    case 'invoke': {
      const h = handlers.get(c.channel);
      if (!h) return answer(c.id, { ok: false, error: { code: 'no-handler', message: c.channel } });
      void Promise.resolve(h({ senderFrame: c.senderUrl === null ? null : { url: c.senderUrl } }, c.args)).then((v) => answer(c.id, v));
      return;
    }
    case 'fetch':
      void protocolHandler!({ url: c.url }).then(async (res) =>
        answer(c.id, {
          status: res.status,
          csp: res.headers.get('content-security-policy'),
          type: res.headers.get('content-type'),
          body: await res.text(),
        }),
      );
      return;
    case 'navigate': {
      const e = preventable({ url: c.url });
      windows[0].webContents.emit('will-navigate', e);
      return answer(c.id, e.defaultPrevented);
    }
    case 'open-window':
      return answer(c.id, windows[0].webContents.openHandler!({ url: c.url }).action);
    case 'new-contents': {
      const contents = new FakeWebContents();
      const attach = preventable();
      contents.emit('will-attach-webview', attach, {}, {});
      return answer(c.id, { open: contents.openHandler?.({ url: c.url }).action ?? null, webviewRefused: attach.defaultPrevented });
    }
    case 'channels':
      return answer(c.id, [...handlers.keys()]);
    case 'quit':
      return app.quit();
  }
}
