// The shell's security settings are what docs/desktop.md's checklist
// says: checked on the settings themselves, and on what the shell's
// code does with them, run against the stand-in for Electron
// (test/support/fake-electron): the window it creates, the handlers it
// installs, what the preload exposes. The running shell (main.ts: the app
// sandbox, every web contents, every IPC channel, the files it serves) is
// checked the same way in test/e2e/desktop-shell.test.ts.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createBridge } from '../../../main/electron/bridge';
import { APP_URL } from '../../../main/electron/renderer-files';
import {
  CONTENT_SECURITY_POLICY,
  devContentSecurityPolicy,
  hardenContents,
  hardenSession,
  isTrustedSender,
  webPreferences,
} from '../../../main/electron/security';
import { createMainWindow } from '../../../main/electron/window';
import * as electron from '../../support/fake-electron/electron';

vi.mock('electron', () => import('../../support/fake-electron/electron'));

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

  it('are the ones the main window is created with, and its contents are hardened', () => {
    const win = createMainWindow({
      preload: '/app/out/preload/index.cjs',
      url: APP_URL,
      stateFile: join(mkdtempSync(join(tmpdir(), 'wb-win-')), 'w.json'),
    });
    expect(electron.BrowserWindow.getAllWindows()).toEqual([win]);
    const options = (win as unknown as { options: { webPreferences: unknown } }).options;
    expect(options.webPreferences).toEqual(webPreferences('/app/out/preload/index.cjs'));
    const contents = win.webContents as unknown as InstanceType<typeof electron.BrowserWindow>['webContents'];
    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('app://workbench/index.html#/runs/3')).toBe(false);
    expect(contents.openHandler!({ url: 'https://example.com/' }).action).toBe('deny');
    win.close();
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

  it('the dev server one only loosens styles and its socket', () => {
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

  it('the preload exposes the bridge and nothing else', async () => {
    await import('../../../main/electron/preload');
    expect([...electron.exposed.keys()]).toEqual(['workbench']);
    const bridge = electron.exposed.get('workbench') as ReturnType<typeof createBridge>;
    const reference = createBridge(electron.ipcRenderer);
    expect(Object.keys(bridge)).toEqual(Object.keys(reference));
    expect(Object.keys(bridge.api)).toEqual(Object.keys(reference.api));
    expect(Object.keys(bridge.events)).toEqual(['on']);
  });
});
