// The desktop app end to end. Where an Electron binary is installed, the
// real app is built, launched with Playwright's Electron support, and a run
// is trained to completion from the UI and its weights exported; then the
// app is quit while another run trains, which must ask and stop that run
// cleanly. Where there is no binary (this build machine: it cannot be
// downloaded), those tests report themselves skipped with that reason, and
// the same scenario runs in headless Chromium against the built renderer
// and the real main services (serve mode).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkbenchBridge } from '../../common/contract';
import { wire } from '../../main/serve/wire';
import { Store } from '../../main/store/store';
import { exportAndCheckWeights, trainToCompletion, type PageCall } from './support/desktop-scenario';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/security';
import { CHROMIUM_ARGS, pageErrors, root, startApp, type App } from './support/app';

const SKIP_REASON = 'Electron binary not available on this machine';

/** The Electron executable `npm install` fetched, or null when there is none (require('electron') gives its path). */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
type Bridged = { workbench: WorkbenchBridge };

/** A call through the preload's bridge, made inside the page; typed arrays come back as plain arrays. */
const bridgeCall =
  (page: Page): PageCall =>
  async (channel, args) => {
    const text = await page.evaluate(
      async ([c, a]) => {
        const r = await (globalThis as unknown as Bridged).workbench.api[c](a as never);
        if (!r.ok) throw new Error(`${c}: ${r.error.code}: ${r.error.message}`);
        return JSON.stringify(r.value, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
      },
      [channel, args] as const,
    );
    return JSON.parse(text);
  };

describe('the desktop app in Electron', () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let userData = '';

  beforeAll(async () => {
    if (!binary) return;
    const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    node([join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--config', 'electron.config.ts']);
    node([join(root, 'scripts/electron-sqlite.mjs')]);
    userData = mkdtempSync(join(tmpdir(), 'wb-electron-'));
    app = await _electron.launch({
      executablePath: binary,
      args: [root],
      cwd: root,
      env: { ...process.env, RNN_WORKBENCH_USER_DATA: userData, RNN_WORKBENCH_DB: join(userData, 'workbench.db') },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('opens a sandboxed, context-isolated window on app://workbench/ with the policy header', async ({ skip }) => {
    skip(!binary, SKIP_REASON);
    expect(page.url()).toMatch(/^app:\/\/workbench\/index\.html/);
    expect(
      await page.evaluate(() => [
        typeof (globalThis as { require?: unknown }).require,
        typeof (globalThis as { process?: unknown }).process,
      ]),
    ).toEqual(['undefined', 'undefined']);
    expect(await page.evaluate(() => Object.keys((globalThis as unknown as Bridged).workbench).sort())).toEqual(['api', 'events']);
    expect(await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    const csp = await page.evaluate(async () => (await fetch('app://workbench/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
  });

  it('trains a run to completion from the UI and exports its weights', async ({ skip }) => {
    skip(!binary, SKIP_REASON);
    await page.evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/new';
    });
    const id = await trainToCompletion(page, 'electron e2e');
    await exportAndCheckWeights(bridgeCall(page), id);
    expect(pageErrors(page)).toEqual([]);
  });

  it('asks before quitting while a run trains, then stops it cleanly and closes the database', async ({ skip }) => {
    skip(!binary, SKIP_REASON);
    const call = bridgeCall(page);
    const defaults = await call('config:defaults', { task: 'sine' });
    const run = await call('runs:create', {
      config: { ...defaults, training: { ...defaults.training, steps: 10_000_000, snapshotEvery: 0 } },
      name: 'quit while training',
      tags: [],
      notes: '',
      start: true,
    });
    await expect.poll(async () => (await call('runs:get', { id: run.id })).lastStep ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
    const asked = join(userData, 'asked.txt');
    // Answer the native dialog the way a user clicking "Stop and Quit" would, and note what it said.
    await app!.evaluate(({ dialog }, file) => {
      const fs = (process as unknown as { getBuiltinModule(id: 'node:fs'): typeof import('node:fs') }).getBuiltinModule('node:fs');
      dialog.showMessageBox = (async (...a: unknown[]) => {
        const options = a[a.length - 1] as { message: string };
        fs.writeFileSync(file, options.message);
        return { response: 0, checkboxChecked: false };
      }) as typeof dialog.showMessageBox;
    }, asked);
    await app!.close();
    app = undefined;
    expect(readFileSync(asked, 'utf8')).toBe('1 run is still training.');
    const dbPath = join(userData, 'workbench.db');
    expect(existsSync(`${dbPath}-wal`)).toBe(false); // closed cleanly: the WAL was checkpointed away
    const store = Store.open(dbPath);
    try {
      const stopped = store.getRun(run.id)!;
      expect(stopped.status).toBe('stopped');
      expect(store.latestCheckpoint(run.id)?.step).toBe(stopped.lastStep);
    } finally {
      store.close();
    }
  });
});

describe('the same scenario in headless Chromium (serve mode, the built renderer, the real services)', () => {
  let app: App;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    app = await startApp({ progressEveryMs: 50 });
    // A document fulfilled through Playwright's interception (below) loses its address space, and
    // Chromium's local-network checks would then refuse its socket back to 127.0.0.1.
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.addInitScript(() => {
      type Violation = { violatedDirective: string; blockedURI: string };
      const g = globalThis as unknown as {
        document: { addEventListener(t: string, l: (e: Violation) => void): void };
        cspViolations: string[];
      };
      g.cspViolations = [];
      g.document.addEventListener('securitypolicyviolation', (e) => g.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    // The desktop app's policy instead of serve mode's, plus the socket serve mode's transport needs.
    const policy = CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ${app.server.origin.replace(/^http/, 'ws')}`);
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = response.headers();
      if ('content-security-policy' in headers) headers['content-security-policy'] = policy;
      await route.fulfill({ response, headers });
    });
    await page.goto(`${app.server.url}#/new`);
  });
  afterAll(async () => {
    // a request still in flight (the form's cost estimate times its config in a worker) must not outlive the page
    await page?.unrouteAll({ behavior: 'ignoreErrors' });
    await browser?.close();
    await app?.close();
  });

  it("trains a run to completion from the UI and exports its weights, under the desktop app's policy", async () => {
    const id = await trainToCompletion(page, 'chromium e2e');
    // The page's own transport: a POST with the token, bytes as {"$bytes": base64} (common/wire.ts).
    const call: PageCall = async (channel, args) => {
      const text = await page.evaluate(
        async ([c, a, token]) => {
          const res = await fetch(`/api/${encodeURIComponent(c)}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ args: a }),
          });
          const r = (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
          if (!r.ok) throw new Error(`${c}: ${r.error?.code}: ${r.error?.message}`);
          return JSON.stringify(r.value);
        },
        [channel, args, app.server.token] as const,
      );
      return wire.decode(text) as never;
    };
    await exportAndCheckWeights(call, id);
    expect(await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
