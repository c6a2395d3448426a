// The shell's security settings are what the README's "Desktop app"
// section says: checked on the settings themselves, on the handlers'
// behaviour (with stand-ins for Electron's objects), and on the shell's
// source, so that no window, IPC channel or preload bypasses them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { APP_URL } from '../../../main/electron/renderer-files';
import {
  CONTENT_SECURITY_POLICY,
  devContentSecurityPolicy,
  hardenContents,
  hardenSession,
  isTrustedSender,
  webPreferences,
} from '../../../main/electron/security';

const shellDir = join(__dirname, '../../../main/electron');
const source = (file: string) => readFileSync(join(shellDir, file), 'utf8');
const shellFiles = readdirSync(shellDir).filter((f) => f.endsWith('.ts'));

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
}

/** A WebContents stand-in that records the handlers the shell installs. */
function fakeContents() {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (event: string, h: (...args: unknown[]) => void) => handlers.set(event, h),
    setWindowOpenHandler: (h: typeof openHandler) => {
      openHandler = h;
    },
  };
  const fire = (event: string, url: string): boolean => {
    let prevented = false;
    handlers.get(event)!({ url, preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler!({ url }).action };
}

describe('web preferences', () => {
  it('isolate, sandbox and keep Node out of every page', () => {
    const p = webPreferences('/app/out/preload/index.cjs');
    expect(p).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(p).not.toHaveProperty('enableBlinkFeatures');
  });

  it('the preload the window loads is the CommonJS bundle (a sandboxed page cannot load an ES module)', () => {
    expect(source('main.ts')).toMatch(/preload: join\(here, '\.\.\/preload\/index\.cjs'\)/);
    const config = readFileSync(join(__dirname, '../../../electron.config.ts'), 'utf8');
    expect(config).toMatch(/format: 'cjs', entryFileNames: '\[name\]\.cjs'/);
  });
});

describe('content security policy', () => {
  const d = directives(CONTENT_SECURITY_POLICY);

  it('allows scripts only from the app itself: no inline script, no eval', () => {
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\*/);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
  });

  it('is sent with every file the app serves, and the dev server one only loosens styles and its socket', () => {
    expect(source('main.ts')).toMatch(/rendererResponse\(files\.renderer, request\.url, CONTENT_SECURITY_POLICY\)/);
    const dev = directives(devContentSecurityPolicy('http://localhost:5173/'));
    expect(dev.get('script-src')).toEqual(["'self'"]);
    expect(dev.get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(dev.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
  });
});

describe('navigation, windows and webviews', () => {
  it('navigation away from the app is refused, within it allowed', () => {
    const f = fakeContents();
    hardenContents(f.contents, APP_URL);
    expect(f.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(f.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(f.fire('will-navigate', 'app://evil/index.html')).toBe(true);
    expect(f.fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(f.fire('will-navigate', 'app://workbench/index.html#/runs/3')).toBe(false);
  });

  it('every new window is denied, and <webview> cannot attach', () => {
    const f = fakeContents();
    hardenContents(f.contents, APP_URL);
    expect(f.open('https://example.com/')).toBe('deny');
    expect(f.open('app://workbench/index.html')).toBe('deny');
    expect(f.fire('will-attach-webview', 'app://workbench/')).toBe(true);
  });

  it('the main window is hardened, and so is any other web contents created', () => {
    expect(source('window.ts')).toMatch(/hardenContents\(win\.webContents, o\.url\)/);
    const main = source('main.ts');
    expect(main).toMatch(/app\.enableSandbox\(\)/);
    expect(main).toMatch(/'web-contents-created'[\s\S]{0,200}setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
  });
});

describe('IPC senders and permissions', () => {
  it('serves only frames showing the app', () => {
    expect(isTrustedSender({ url: 'app://workbench/index.html' }, APP_URL)).toBe(true);
    expect(isTrustedSender({ url: 'https://example.com/' }, APP_URL)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/index.html' }, APP_URL)).toBe(false);
    expect(isTrustedSender({ url: 'not a url' }, APP_URL)).toBe(false);
    expect(isTrustedSender(null, APP_URL)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5173/' }, 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/' }, 'http://localhost:5173/')).toBe(false);
  });

  it('refuses every permission but writing to the clipboard, and that only for the app', () => {
    let request!: (c: { getURL(): string }, p: string, cb: (ok: boolean) => void) => void;
    let check!: (c: null, p: string, origin: string) => boolean;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as unknown as Session;
    hardenSession(session, APP_URL);
    const ask = (permission: string, url: string) => {
      let granted: boolean | null = null;
      request({ getURL: () => url }, permission, (ok) => (granted = ok));
      return granted;
    };
    expect(ask('clipboard-sanitized-write', 'app://workbench/index.html')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fileSystem']) {
      expect(ask(p, 'app://workbench/index.html')).toBe(false);
    }
    expect(ask('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    expect(check(null, 'clipboard-sanitized-write', 'app://workbench')).toBe(true);
    expect(check(null, 'media', 'app://workbench')).toBe(false);
  });

  it('every IPC handler goes through the sender check, and the preload exposes only the bridge', () => {
    const ipcUses = shellFiles.flatMap((f) => [...source(f).matchAll(/ipcMain\.\w+|ipc\.handle\(/g)].map((m) => `${f}: ${m[0]}`));
    expect(ipcUses).toEqual(['ipc.ts: ipc.handle(']);
    expect(source('ipc.ts')).toMatch(/ipc\.handle\(channel, guarded\(channel, call, appUrl\)\)/);
    expect(source('main.ts')).toMatch(/registerIpc\(ipcMain, call, pageUrl\)/);
    const preload = source('preload.ts');
    expect([...preload.matchAll(/exposeInMainWorld\(/g)]).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\(BRIDGE_KEY, createBridge\(ipcRenderer\)\)/);
  });
});

describe('the shell source', () => {
  it('never weakens a setting anywhere', () => {
    const weakening =
      /nodeIntegration\w*:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false|allowRunningInsecureContent:\s*true|webviewTag:\s*true|enableBlinkFeatures|experimentalFeatures:\s*true|shell\.openExternal|enableRemoteModule/;
    for (const f of shellFiles) expect(source(f), f).not.toMatch(weakening);
  });

  it('creates windows only with the shared web preferences', () => {
    const windows = shellFiles.flatMap((f) => [...source(f).matchAll(/new BrowserWindow\(/g)].map(() => f));
    expect(windows).toEqual(['window.ts']);
    expect(source('window.ts')).toMatch(/webPreferences: webPreferences\(o\.preload\)/);
  });
});
