// `node --import tsx bench/renderer.ts [--quick]`: the renderer under load,
// in headless Chromium against serve mode with real workers. Prints one JSON
// object: the frame rate and main-thread busy time of the run view while a
// run streams at full speed, and the time to open a finished run of
// 1,000,000 steps (written straight into the database). Never asserts.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { invoke } from '../main/api/handlers';
import { openWorkbench } from '../main/workbench';
import type { RunRecord } from '../common/contract';
import { startServer } from '../main/serve/server';
import rendererConfig from '../renderer/vite.config';
import { writeLongRun } from './renderer-fixture';

const quick = process.argv.includes('--quick');
const LONG_STEPS = quick ? 200_000 : 1_000_000;
const WINDOW_MS = quick ? 5000 : 10_000;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The few browser globals the in-page functions use (this file is typed for Node). */
interface InPage {
  document: {
    querySelector(s: string): { getAttribute(n: string): string | null; textContent: string | null } | null;
    querySelectorAll(s: string): { length: number };
  };
  performance: { now(): number; getEntriesByType(type: 'navigation'): { domContentLoadedEventEnd: number }[] };
  location: { hash: string };
  __bench: { frames: number; longTasks: number; longMs: number };
}

/** Resolves when the charts (by test id) draw points; gives the page's time since navigation. */
async function chartsReady(page: Page, charts: string[]): Promise<number> {
  await page.waitForFunction(
    (ids) => {
      const g = globalThis as unknown as InPage;
      return ids.every((id) => Number(g.document.querySelector(`[data-testid=${id}] [data-points]`)?.getAttribute('data-points') ?? 0) > 0);
    },
    charts,
    { polling: 'raf', timeout: 120_000 },
  );
  return page.evaluate(() => (globalThis as unknown as InPage).performance.now());
}

async function main(): Promise<void> {
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn' });
  const dir = mkdtempSync(join(tmpdir(), 'wb-bench-'));
  const wb = openWorkbench({ databasePath: join(dir, 'workbench.db'), maxConcurrent: 1 });
  const t0 = performance.now();
  const long = writeLongRun(wb.store, { steps: LONG_STEPS, evalEvery: 1000, hidden: 32 });
  const writeMs = performance.now() - t0;
  const server = await startServer({ workbench: wb, port: 0, staticDir: join(process.cwd(), 'out/renderer') });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  const result: Record<string, unknown> = { bench: 'renderer', quick, viewport: '1280x800' };
  try {
    // ---- live: a fast run streaming into the run view
    const created = await invoke(wb.handlers, 'runs:create', {
      config: {
        task: { kind: 'sine', channels: 4, T: 20 },
        method: { kind: 'bptt' },
        model: { hidden: 16 },
        training: { steps: 10_000_000, evalEvery: 50, snapshotEvery: 0 },
      },
      name: 'streaming',
      tags: ['bench'],
      notes: '',
      start: true,
    });
    if (!created.ok) throw new Error(created.error.message);
    const live = created.value as RunRecord;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}#/runs/${live.id}`);
    await chartsReady(page, ['loss-chart', 'probe-chart']);
    await page.waitForTimeout(2000);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    // the live path's bytes to this page (serve mode's socket), counted while the window below runs
    await cdp.send('Network.enable');
    let socketBytes = 0;
    let counting = false;
    cdp.on('Network.webSocketFrameReceived', (e) => {
      if (counting) socketBytes += Buffer.byteLength(e.response.payloadData);
    });
    const metric = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
    };
    // A string, not a function: tsx would wrap the named callbacks in a helper the page lacks.
    // (CDP evaluation is not subject to the page's CSP.)
    await page.evaluate(`(() => {
      const b = (window.__bench = { frames: 0, longTasks: 0, longMs: 0 });
      const tick = () => { b.frames++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      new PerformanceObserver((l) => { for (const e of l.getEntries()) { b.longTasks++; b.longMs += e.duration; } }).observe({ type: 'longtask' });
    })()`);
    const m0 = await metric();
    const step0 = wb.store.getRun(live.id)!.lastStep ?? 0;
    const w0 = performance.now();
    counting = true;
    await page.waitForTimeout(WINDOW_MS);
    counting = false;
    const m1 = await metric();
    const wallS = (performance.now() - w0) / 1000;
    const step1 = wb.store.getRun(live.id)!.lastStep ?? 0;
    const b = await page.evaluate(() => (globalThis as unknown as InPage).__bench);
    const pointsDrawn = Number(await page.locator('[data-testid=loss-chart] [data-points]').getAttribute('data-points'));
    result.streaming = {
      seconds: Number(wallS.toFixed(2)),
      stepsPerSec: Math.round((step1 - step0) / wallS),
      timestepsPerSec: Math.round(((step1 - step0) * 20) / wallS),
      fps: Number((b.frames / wallS).toFixed(1)),
      mainThreadBusy: Number(((m1.TaskDuration - m0.TaskDuration) / wallS).toFixed(3)),
      scriptBusy: Number(((m1.ScriptDuration - m0.ScriptDuration) / wallS).toFixed(3)),
      longTasks: b.longTasks,
      longTaskMs: Math.round(b.longMs),
      jsHeapMB: Number((m1.JSHeapUsedSize / 2 ** 20).toFixed(1)),
      lossPointsDrawn: pointsDrawn,
      socketKBPerSec: Math.round(socketBytes / 1024 / wallS),
    };
    await invoke(wb.handlers, 'runs:stop', { id: live.id });
    await page.close();

    // ---- opening a run of LONG_STEPS steps: a fresh page each time (the first is cold)
    const opens: { appReady: number; lossChart: number; allCharts: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await p.goto(`${server.url}#/runs/${long.id}`);
      const lossChart = await chartsReady(p, ['loss-chart']);
      const allCharts = await chartsReady(p, ['loss-chart', 'grad-chart', 'probe-chart']);
      const appReady = await p.evaluate(
        () => (globalThis as unknown as InPage).performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
      );
      opens.push({ appReady: Math.round(appReady), lossChart: Math.round(lossChart), allCharts: Math.round(allCharts) });
      await p.close();
    }
    // ...and from inside the app (the bundle already loaded): history → run.
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await p.goto(`${server.url}#/runs`);
    await p.locator('[data-testid=runs-table]').waitFor();
    const start = await p.evaluate((id) => {
      const g = globalThis as unknown as InPage;
      const t = g.performance.now();
      g.location.hash = `#/runs/${id}`;
      return t;
    }, long.id);
    const inAppLoss = (await chartsReady(p, ['loss-chart'])) - start;
    const inApp = (await chartsReady(p, ['loss-chart', 'grad-chart', 'probe-chart'])) - start;
    result.openLongRun = {
      steps: LONG_STEPS,
      evals: LONG_STEPS / 1000,
      writeSeconds: Number((writeMs / 1000).toFixed(1)),
      fromNavigationMs: opens,
      inAppMs: { lossChart: Math.round(inAppLoss), allCharts: Math.round(inApp) },
    };
    await p.close();

    // ---- a database of 200 runs: the history table, and 20 runs overlaid in the comparison
    const others = Array.from(
      { length: 199 },
      (_, k) =>
        writeLongRun(wb.store, {
          steps: 2000,
          evalEvery: 500,
          hidden: 8 + (k % 5) * 4,
          lr: 0.001 * (1 + (k % 7)),
          seed: k + 1,
          name: `sweep ${k + 1}`,
        }).id,
    );
    const c = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await c.goto(`${server.url}#/new`);
    await c.locator('[data-testid=start-run]').waitFor();
    const tableMs = await c.evaluate(() => {
      const g = globalThis as unknown as InPage;
      const t = g.performance.now();
      g.location.hash = '#/runs';
      return new Promise<number>((resolve) => {
        const timer = setInterval(() => {
          if (g.document.querySelectorAll('tr[data-run-id]').length < 200) return;
          clearInterval(timer);
          resolve(g.performance.now() - t);
        }, 2);
      });
    });
    const twenty = others.slice(0, 20).join(',');
    const t1 = await c.evaluate((q) => {
      const g = globalThis as unknown as InPage;
      const t = g.performance.now();
      g.location.hash = `#/compare?runs=${q}`;
      return t;
    }, twenty);
    const compareReady = await c.waitForFunction(
      () => {
        const g = globalThis as unknown as InPage;
        const loading = g.document.querySelector('[data-testid=compare] .view-head')?.textContent?.includes('loading') ?? true;
        const pts = Number(g.document.querySelector('[data-testid=compare-chart] [data-points]')?.getAttribute('data-points') ?? 0);
        const rows = g.document.querySelectorAll('[data-testid=compare-summary] tbody tr').length;
        return !loading && pts > 0 && rows === 20 ? g.performance.now() : 0;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const compareMs = (await compareReady.jsonValue()) - t1;
    const t2 = await c.evaluate(() => (globalThis as unknown as InPage).performance.now());
    await c.locator('[data-testid=compare-metric]').selectOption('gradNorm.W');
    const switched = await c.waitForFunction(
      () => {
        const g = globalThis as unknown as InPage;
        const loading = g.document.querySelector('[data-testid=compare] .view-head')?.textContent?.includes('loading') ?? true;
        return !loading && g.document.querySelector('[data-testid=compare-chart] h3')?.textContent === 'gradNorm.W by step'
          ? g.performance.now()
          : 0;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    result.compare = {
      runsInDatabase: 200,
      historyTableMs: Math.round(tableMs),
      overlaid: 20,
      openMs: Math.round(compareMs),
      switchMetricMs: Math.round((await switched.jsonValue()) - t2),
    };
  } finally {
    await browser.close();
    await server.close();
    await wb.close();
  }
  console.log(JSON.stringify(result));
}

await main();
