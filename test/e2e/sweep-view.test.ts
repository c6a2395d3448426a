// The sweep view as a user meets it, in real Chromium against serve mode
// with real workers: a 24-trial sweep (sine, d = 4, 200 steps, ASHA)
// written in the spec editor (a bad value named by its field first),
// started, followed live, and then read: the trials table, parallel
// coordinates and scatters whose runs open on a click, the best runs'
// curves, a new run from the best config, and a delete that asks about
// the runs. Screenshots at 1024 and 1440 px wide.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';

let app: App;
let page: Page;

const spec = (lr: number[]) => ({
  name: 'lr × seed',
  base: {
    task: { kind: 'sine', channels: 2, T: 20 },
    method: { kind: 'bptt' },
    model: { hidden: 4 },
    training: { steps: 200, evalEvery: 25, snapshotEvery: 100 },
  },
  grid: { 'training.lr': lr },
  seeds: [1, 2, 3, 4],
  earlyStopping: { kind: 'asha', minSteps: 50, reductionFactor: 3 },
});
const LRS = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1];

beforeAll(async () => {
  app = await startApp({ maxConcurrent: 2 });
  page = await openPage(app, '#/runs');
});
afterAll(async () => {
  await app?.close();
});

const state = () => page.locator('[data-testid=sweep-state]').textContent();

describe('the sweep view', () => {
  it('is reached from the runs, and its spec editor names a bad field before anything is created', async () => {
    await page.locator('[data-testid=history-sweeps]').click();
    await page.locator('[data-testid=sweeps]').waitFor();
    const editor = page.locator('[data-testid=sweep-spec]');
    await editor.fill(JSON.stringify(spec([-1, ...LRS.slice(1)]), null, 2));
    await expect
      .poll(() => page.locator('[data-testid=sweep-issues]').textContent())
      .toBe('grid["training.lr"][0]: training.lr: must be greater than 0');
    expect(await page.locator('[data-testid=sweep-create-start]').isDisabled()).toBe(true);
    await editor.fill(JSON.stringify(spec(LRS), null, 2));
    await expect.poll(() => page.locator('[data-testid=sweep-trial-count]').textContent()).toBe('24 trials');
    await page.locator('[data-testid=sweep-create-start]').click();
    await page.locator('[data-testid=sweep-view]').waitFor();
    expect(page.url()).toMatch(/#\/sweeps\/1$/);
  });

  it('follows the sweep live until it is finished', async () => {
    await expect.poll(state, { timeout: 30_000 }).toMatch(/^running/);
    await expect
      .poll(() => page.locator('[data-testid=sweep-progress] .summary').textContent(), { timeout: 60_000 })
      .toMatch(/^\d+\/24 done · [12] running · \d+ queued · \d+ stopped early · 0 failed · best so far \S+ \(trial \d+, run #\d+\)$/);
    await expect.poll(state, { timeout: 280_000, interval: 1000 }).toBe('finished');
    const summary = (await page.locator('[data-testid=sweep-progress] .summary').textContent())!;
    const m = /^24\/24 done · 0 running · 0 queued · (\d+) stopped early · 0 failed · best so far/.exec(summary);
    expect(m, summary).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
  }, 300_000);

  it('shows every trial in the table and the charts, and opens a run from a chart', async () => {
    const rows = page.locator('[data-testid=sweep-trials] tbody tr');
    await expect.poll(() => rows.count()).toBe(24);
    const statuses = await page.locator('[data-testid=sweep-trials] tbody tr td .badge').allTextContents();
    expect(new Set(statuses.filter((s) => !['healthy', 'not-learning', 'saturated', 'vanishing', 'exploding'].includes(s)))).toEqual(
      new Set(['completed', 'stopped early']),
    );
    await expect.poll(() => page.locator('[data-testid=sweep-pcoords] path[data-run]').count()).toBe(24);
    expect(await page.locator('[data-testid=sweep-pcoords] [data-axis]').allTextContents()).toHaveLength(3); // lr, seed, the metric
    await expect.poll(() => page.locator('[data-testid="sweep-scatter-training.lr"]').getAttribute('data-points')).toBe('24');
    await expect.poll(() => page.locator('[data-testid=sweep-best-curves] [data-points]').getAttribute('data-points')).not.toBe('0');

    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      // the charts' resize observers redraw on the next frames
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
      await screenshot(page, `sweep-view-${width}`, true);
    }

    const line = page.locator('[data-testid=sweep-pcoords] path[data-run-hit]').first();
    const runId = await line.getAttribute('data-run-hit');
    await line.dispatchEvent('pointerenter'); // a thin SVG stroke: its box's centre may be another line
    expect(await page.locator('[data-testid=pcoords-hover]').textContent()).toMatch(new RegExp(`^trial \\d+ · run #${runId} `));
    await line.dispatchEvent('click');
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/runs/${runId}$`));
    await page.goBack();
    await page.locator('[data-testid=sweep-view]').waitFor();
  });

  it('opens the new-run form with the best config', async () => {
    const best = (await page.locator('[data-testid=sweep-trials] tr.best').getAttribute('data-trial'))!;
    const lr = await page.locator(`[data-testid=sweep-trials] tr[data-trial="${best}"] td`).nth(1).textContent();
    await page.locator('[data-testid=sweep-best-config]').click();
    await expect.poll(() => page.locator('[data-field="training.lr"] input').inputValue()).toBe(lr);
    expect(await page.locator('[data-field="model.hidden"] input').inputValue()).toBe('4');
    await page.goBack();
    await page.locator('[data-testid=sweep-view]').waitFor();
  });

  it('asks whether to delete the runs with the sweep, and keeps them when told to', async () => {
    await page.locator('[data-testid=sweep-delete]').click();
    expect(await page.locator('[data-testid=sweep-confirm]').textContent()).toContain('Its 24 runs can go with it, or stay');
    await page.locator('[data-testid=sweep-delete-keep]').click();
    await page.locator('[data-testid=sweeps]').waitFor();
    expect(await page.locator('[data-testid=sweeps-table]').count()).toBe(0);
    expect(app.wb.store.listRuns()).toHaveLength(24);
    expect(pageErrors(page)).toEqual([]);
  });
});
