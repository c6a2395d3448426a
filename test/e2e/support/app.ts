// The app as a user meets it in serve mode: a workbench on a temporary
// database with real worker processes, the server over the built renderer,
// and headless Chromium (Debian's) driven by playwright-core.

import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openWorkbench, type Workbench } from '../../../main/workbench';
import { startServer, type RunningServer } from '../../../main/serve/server';
import { childProcessChannel } from '../../../main/worker-host/node-channels';
import { workerSource } from '../../support/workers';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const staticDir = join(root, 'out/renderer');
export const screenshotDir = join(root, 'test-results/e2e');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface App {
  wb: Workbench;
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

export interface AppOptions {
  databasePath?: string;
  progressEveryMs?: number;
  maxConcurrent?: number;
}

export async function startApp(o: AppOptions = {}): Promise<App> {
  const databasePath = o.databasePath ?? join(mkdtempSync(join(tmpdir(), 'wb-e2e-')), 'workbench.db');
  const wb = openWorkbench({
    databasePath,
    maxConcurrent: o.maxConcurrent ?? 2,
    progressEveryMs: o.progressEveryMs ?? 50,
    spawn: () => childProcessChannel({ file: workerSource, typescript: true }),
  });
  const server = await startServer({ workbench: wb, port: 0, staticDir });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    wb,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await wb.close();
    },
  };
}

/** A page at 1280×800 (the size the UI must read well at), opened on the server's tokened URL. */
export async function openPage(app: App, hash = '', theme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: theme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${app.server.url}${hash}`);
  return page;
}

/** Errors the page logged (uncaught exceptions and console errors). */
export const pageErrors = (page: Page): string[] => (page as Page & { errors?: string[] }).errors ?? [];

/** The screenshots the README shows, by their name here and in docs/screenshots/. */
const README_SHOTS: Record<string, string> = {
  'charts-live-1440': 'live-run',
  'lab-exploding-run': 'exploding-run',
  'lab-referee-1440': 'lab-referee',
  'lab-states-1024': 'lab-states',
  'compare-grid-groups-1440': 'compare-grid',
  'history-pcoords-1440': 'history-plots',
  'sweep-view-1440': 'sweep',
};

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  // The README's screenshots are refreshed on request only (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
  const shown = README_SHOTS[name];
  if (shown && process.env.UPDATE_SCREENSHOTS) copyFileSync(path, join(root, 'docs/screenshots', `${shown}.png`));
  return path;
}
