// The charts as a TensorBoard or W&B user meets them, in real Chromium
// against serve mode with a real worker: a 50,000-step run (sine, d = 4,
// seconds of training) reads on log axes, every chart of the view ends at
// the same step, a drag across one chart zooms all of them and a
// double-click goes back, the log switch is remembered, empty charts say
// so. Screenshots at 1024 and 1440 px, live and zoomed.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/contract';
import { invoke } from '../../main/api/handlers';
import { waitFor } from '../support/workbench';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';
import { chartPoints } from './support/page';

let app: App;
let run: RunRecord;

const LIVE_CHARTS = ['loss-chart', 'grad-chart', 'update-chart', 'spectral-chart', 'saturation-chart', 'lr-chart', 'speed-chart'];

async function createRun(name: string, config: unknown, start: boolean): Promise<RunRecord> {
  const r = await invoke(app.wb.handlers, 'runs:create', { config, name, tags: [], notes: '', start });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as RunRecord;
}

beforeAll(async () => {
  app = await startApp();
  run = await createRun(
    'sine d=4, 50k steps',
    {
      task: { kind: 'sine', T: 20 },
      method: { kind: 'bptt' },
      model: { hidden: 4 },
      training: { steps: 50_000, lr: 0.01, evalEvery: 500 },
    },
    true,
  );
  await waitFor(app.wb, run.id, ['completed']);
});
afterAll(async () => {
  await app?.close();
});

const box = (page: Page, id: string) => page.locator(`[data-testid=${id}] [data-points]`);
const attr = async (page: Page, id: string, name: string) => (await box(page, id).getAttribute(name)) ?? '';
const xRange = async (page: Page, id: string) => [Number(await attr(page, id, 'data-x-min')), Number(await attr(page, id, 'data-x-max'))];

async function openRun(width: number): Promise<Page> {
  const page = await openPage(app, `#/runs/${run.id}`);
  await page.setViewportSize({ width, height: 900 });
  for (const id of LIVE_CHARTS) await expect.poll(() => chartPoints(page, id), { message: id, timeout: 20_000 }).toBeGreaterThan(0);
  return page;
}

/** Drag across the loss chart from `from` to `to` (shares of its width). */
async function dragSelect(page: Page, from: number, to: number): Promise<void> {
  const b = (await page.locator('[data-testid=loss-chart] canvas').boundingBox())!;
  const y = b.y + b.height * 0.45;
  await page.mouse.move(b.x + b.width * from, y);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width * ((from + to) / 2), y, { steps: 4 });
  await page.mouse.move(b.x + b.width * to, y, { steps: 4 });
  await page.mouse.up();
}

describe('the charts of a 50,000-step run', () => {
  for (const width of [1440, 1024]) {
    it(`read on log axes, end at the same step and zoom together at ${width} px`, async () => {
      const page = await openRun(width);
      // losses and norms on log axes by default
      for (const id of ['loss-chart', 'grad-chart', 'update-chart']) expect(await attr(page, id, 'data-log'), id).toBe('true');
      // every chart of the view shows the same x range, to the last step
      await expect
        .poll(async () => new Set(await Promise.all(LIVE_CHARTS.map(async (id) => (await xRange(page, id)).join()))).size, {
          timeout: 10_000,
        })
        .toBe(1);
      const [min, max] = await xRange(page, 'grad-chart');
      expect(max).toBeGreaterThanOrEqual(50_000);
      expect(min).toBeLessThanOrEqual(1);
      // honest, formatted throughput
      expect(await page.locator('[data-testid=steps-per-sec]').textContent()).toMatch(/^\d+(\.\d+)?( k| M)?$/);
      expect(await page.locator('[data-testid=timesteps-per-sec]').textContent()).toMatch(/^\d+(\.\d+)?( k| M)?$/);
      await screenshot(page, `charts-live-${width}`, true);

      await dragSelect(page, 0.3, 0.55);
      await expect.poll(() => xRange(page, 'grad-chart')).not.toEqual([min, max]);
      const [zMin, zMax] = await xRange(page, 'grad-chart');
      expect(zMin).toBeGreaterThan(min);
      expect(zMax).toBeLessThan(max);
      // one zoom for the whole view
      for (const id of LIVE_CHARTS) expect(await xRange(page, id), id).toEqual([zMin, zMax]);
      expect(await page.locator('[data-testid=zoom-range]').textContent()).toMatch(/^step [\d,]+ – [\d,]+$/);
      await screenshot(page, `charts-zoomed-${width}`, true);

      await box(page, 'spectral-chart').dblclick();
      await expect.poll(() => xRange(page, 'loss-chart')).toEqual([min, max]);
      expect(await page.locator('[data-testid=zoom-range]').count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
      await page.close();
    });
  }

  it('keeps the log switch of each chart across visits', async () => {
    const page = await openRun(1280);
    await page.locator('[data-testid=loss-chart] [data-testid=log-y]').uncheck();
    await expect.poll(() => attr(page, 'loss-chart', 'data-log')).toBe('false');
    await page.locator('[data-testid=spectral-chart] [data-testid=log-y]').check();
    await page.reload();
    await expect.poll(() => attr(page, 'loss-chart', 'data-log')).toBe('false');
    expect(await attr(page, 'spectral-chart', 'data-log')).toBe('true');
    expect(await attr(page, 'grad-chart', 'data-log')).toBe('true');
    await page.locator('[data-testid=loss-chart] [data-testid=log-y]').check();
    await page.locator('[data-testid=spectral-chart] [data-testid=log-y]').uncheck();
    await page.close();
  });

  it('shows the validation loss on hover as a tooltip, not a band', async () => {
    const page = await openRun(1280);
    const b = (await page.locator('[data-testid=loss-chart] canvas').boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.6, b.y + b.height * 0.5);
    await page.waitForTimeout(100);
    await page.locator('[data-testid=loss-chart]').screenshot({ path: 'test-results/e2e/charts-hover.png' });
    await page.close();
  });

  it('says "no data yet" on the charts of a run that has not started', async () => {
    const fresh = await createRun('not started', { task: { kind: 'sine', T: 20 }, model: { hidden: 4 } }, false);
    const page = await openPage(app, `#/runs/${fresh.id}`);
    await page.locator('[data-testid=grad-chart]').getByText('no data yet').waitFor();
    expect(await page.locator('.chart-empty').count()).toBeGreaterThanOrEqual(LIVE_CHARTS.length);
    await screenshot(page, 'charts-empty');
    await page.close();
  });
});
