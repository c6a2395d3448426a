// Comparing and surveying many runs: six real runs (2 learning rates × 3
// seeds, tiny and fast) found by a config search, compared as a grid of
// four metrics grouped by learning rate; and 36 finished runs inserted
// through the store, as parallel coordinates and a scatter whose lines and
// points open their run. Screenshots at 1440 and 1024 px.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunConfig, RunRecord } from '../../common/contract';
import { invoke } from '../../main/api/handlers';
import { parseConfig } from '../../native-worker/config';
import { makeEval, makeSteps } from '../main/store/fixtures';
import { waitFor } from '../support/workbench';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';
import { waitForMorePoints } from './support/page';

let app: App;
let page: Page;
let grid: RunRecord[];
const synthetic: number[] = [];

const tiny = (lr: number, seed: number) => ({
  seed,
  task: { kind: 'sine', channels: 1, T: 10 },
  method: { kind: 'bptt' },
  model: { hidden: 4 },
  training: { steps: 80, lr, evalEvery: 10, snapshotEvery: 40 },
});

/** A finished run straight into the store: a config from a small grid, 40 steps and a validation loss shaped by its config. */
function insertFinished(i: number): number {
  const lr = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3][i % 6];
  const hidden = [8, 16, 32][Math.floor(i / 6) % 3];
  const optimizer = i % 2 ? 'adam' : 'sgd';
  const method = i % 4 < 2 ? 'bptt' : 'rtrl';
  const config: RunConfig = parseConfig({
    seed: i,
    model: { hidden },
    method: { kind: method },
    training: { lr, optimizer: { kind: optimizer } },
  });
  const run = app.wb.store.createRun({ name: `survey ${i}`, config, appVersion: '0', status: 'completed', tags: ['survey'] });
  const loss = 0.02 + 0.05 * Math.log10(lr / 0.01) ** 2 + 0.4 / hidden + (optimizer === 'sgd' ? 0.03 : 0) + 0.002 * (i % 5);
  const health = { state: 'healthy' as const, step: 40, since: 0, reasons: [], remedy: null };
  app.wb.store.appendProgress(run.id, { steps: makeSteps(1, 40, i), evals: [{ ...makeEval(40, loss), health }], checkpoints: [] });
  return run.id;
}

/** How wide the page is laid out (wider than the window: it scrolls sideways). */
const pageWidth = (): Promise<number> =>
  page.evaluate(
    () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth,
  );

async function search(text: string): Promise<void> {
  await page.fill('[data-testid=search]', text);
}

beforeAll(async () => {
  app = await startApp({ maxConcurrent: 2 });
  grid = [];
  for (const lr of [0.01, 0.05])
    for (const seed of [1, 2, 3]) {
      const r = await invoke(app.wb.handlers, 'runs:create', {
        config: tiny(lr, seed),
        name: null,
        tags: ['grid'],
        notes: '',
        start: true,
      });
      if (!r.ok) throw new Error(r.error.message);
      grid.push(r.value as RunRecord);
    }
  for (let i = 0; i < 36; i++) synthetic.push(insertFinished(i));
  await Promise.all(grid.map((r) => waitFor(app.wb, r.id, ['completed'])));
  page = await openPage(app, '#/runs');
  await page.setViewportSize({ width: 1440, height: 900 });
});
afterAll(async () => {
  await app?.close();
});

describe('the compare grid and the history-wide plots', () => {
  it('names six runs of one task, method and size apart without being told', () => {
    expect(new Set(grid.map((r) => r.name)).size).toBe(6);
    expect(grid[4].name).toBe('sine · bptt · d=4 · lr=0.05 · seed=2');
  });

  it('finds runs by their config, and says what it cannot read', async () => {
    await page.locator('[data-testid=runs-table]').waitFor();
    await search('lr=0.05 method:bptt hidden<8');
    await expect.poll(() => page.locator('[data-testid=runs-table] tbody tr[data-run-id]').count()).toBe(3);
    await page.setViewportSize({ width: 1024, height: 800 });
    await search('');
    expect(await pageWidth()).toBeLessThanOrEqual(1024);
    await screenshot(page, 'runs-table-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await search('hidden>abc');
    await expect.poll(() => page.locator('[data-testid=search-errors]').textContent()).toContain('hidden>abc: > needs a number, not “abc”');
  });

  it('compares four metrics of the six runs grouped by learning rate', async () => {
    await search('tag:grid');
    await expect.poll(() => page.locator('[data-testid=runs-table] tbody tr[data-run-id]').count()).toBe(6);
    for (const r of grid) await page.locator(`tr[data-run-id="${r.id}"] input[type=checkbox]`).check();
    await page.click('[data-testid=compare-selected]');
    await page.locator('[data-testid=compare]').waitFor();
    await page.click('[data-testid=metric-picker] summary');
    for (const m of ['validationLoss', 'gradNorm.W', 'spectralRadius']) await page.getByLabel(`Show ${m}`).check();
    await page.click('[data-testid=metric-picker] summary');
    await page.locator('[data-testid=compare-group]').selectOption('training.lr');
    for (const id of ['compare-chart', 'compare-chart-validationLoss', 'compare-chart-gradNorm.W', 'compare-chart-spectralRadius'])
      await waitForMorePoints(page, id.replace('.', '\\.'), 0);
    // losses and norms on log axes by default, each added metric too, and the URL says which
    const logOf = (id: string) => page.locator(`[data-testid="${id}"] [data-testid=log-y]`).isChecked();
    expect([await logOf('compare-chart'), await logOf('compare-chart-validationLoss'), await logOf('compare-chart-gradNorm.W')]).toEqual([
      true,
      true,
      true,
    ]);
    expect(await logOf('compare-chart-spectralRadius')).toBe(false);
    expect(new URLSearchParams(page.url().split('?').at(-1)).get('log')).toBe('loss,validationLoss,gradNorm.W');
    // one summary row per run, with its group
    const groupCells = await page.locator('[data-testid=compare-summary] tbody tr td:nth-child(2)').allTextContents();
    expect(groupCells.map((t) => t.trim())).toEqual(['0.01', '0.01', '0.01', '0.05', '0.05', '0.05']);
    expect(
      await page.locator('[data-testid=config-diff] tr[data-path]').evaluateAll((t) => t.map((r) => r.getAttribute('data-path'))),
    ).toEqual(['seed', 'training.lr']);
    await screenshot(page, 'compare-grid-groups-1440', true);
    await page.getByRole('button', { name: 'time', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid=compare-chart] h3').textContent()).toBe('loss by training time');
    await waitForMorePoints(page, 'compare-chart', 0);
    await page.setViewportSize({ width: 1024, height: 800 });
    const summary = page.locator('[data-testid=compare-summary]');
    const fits = await summary.evaluate((t) => t.scrollWidth <= (t.parentElement as unknown as { clientWidth: number }).clientWidth + 1);
    expect(fits).toBe(true);
    expect(await pageWidth()).toBeLessThanOrEqual(1024);
    await screenshot(page, 'compare-grid-groups-1024', true);
  });

  it('plots 36 finished runs as parallel coordinates and a scatter, and opens a run from a line', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${app.server.url}#/runs?view=plots`);
    await search('tag:survey');
    const lines = page.locator('[data-testid=history-pcoords] path[data-run]');
    await expect.poll(() => lines.count()).toBe(36);
    const axes = await page
      .locator('[data-testid=history-pcoords] [data-axis]')
      .evaluateAll((g) => g.map((x) => x.getAttribute('data-axis')));
    expect(axes.slice(0, 4)).toEqual(['training.lr', 'model.hidden', 'training.optimizer.kind', 'method.kind']);
    await expect.poll(() => page.locator('[data-testid=history-scatter]').getAttribute('data-points')).toBe('36');
    await screenshot(page, 'history-pcoords-1440', true);
    await page.setViewportSize({ width: 1024, height: 800 });
    await expect.poll(pageWidth).toBeLessThanOrEqual(1024);
    await screenshot(page, 'history-pcoords-1024', true);
    const target = synthetic[7];
    await page.locator(`[data-testid=history-pcoords] [data-run-hit="${target}"]`).dispatchEvent('click');
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/runs/${target}`);
    expect(pageErrors(page)).toEqual([]);
  });
});
