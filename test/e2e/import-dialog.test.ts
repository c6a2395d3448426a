// Importing weights and evaluating a snapshot on data, as a user does it in
// Chromium against serve mode, at 1024 px: an .npz export (no config) opens
// the import form with the model fixed by the file and a task prefilled
// from its shapes; a task whose sizes do not fit is refused naming the
// tensor; the training is edited before the run is created, which starts
// from exactly the file's weights. "Evaluate on data…" on a csv-task
// snapshot draws predictions against targets with the loss.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile, RunRecord } from '../../common/contract';
import { invoke } from '../../main/api/handlers';
import { parseConfig } from '../../native-worker/config';
import { bits, smallConfig, trainedRun } from '../main/transfer/fixtures';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';

let app: App;
let page: Page;
let source: RunRecord;
let csvRun: RunRecord;
let npzPath: string;
const rows = Array.from({ length: 150 }, (_, i) => `${(20 + 5 * Math.sin(i / 6)).toFixed(3)},${(10 + 3 * Math.cos(i / 9)).toFixed(3)}`);
const CSV = `temperature,humidity\n${rows.join('\n')}\n`;

beforeAll(async () => {
  app = await startApp();
  source = trainedRun(
    app.wb,
    smallConfig({ task: { kind: 'sine', channels: 1, T: 12, validationSequences: 2 }, model: { hidden: 6 } }),
    'source',
  );
  csvRun = trainedRun(
    app.wb,
    parseConfig({
      seed: 5,
      task: { kind: 'csv', csv: CSV, T: 12, validationFraction: 0.2, normalize: 'zscore' },
      model: { hidden: 8 },
      method: { kind: 'bptt' },
      training: { steps: 60, evalEvery: 20, snapshotEvery: 20, lr: 0.01 },
    }),
    'weather',
  );
  const r = await invoke(app.wb.handlers, 'export:weights', { id: source.id, step: null, format: 'npz', dtype: 'float64' });
  if (!r.ok) throw new Error(r.error.message);
  const file = r.value as ExportFile;
  npzPath = join(app.wb.databasePath, '..', file.fileName);
  writeFileSync(npzPath, file.data);
  page = await openPage(app, '#/runs');
  await page.setViewportSize({ width: 1024, height: 768 });
});
afterAll(async () => {
  await app?.close();
});

const field = (path: string) => page.locator(`[data-field="${path}"]`);

describe('the import form', () => {
  it('opens for an .npz without config, with the model from the file and a task that fits', async () => {
    await page.locator('[data-testid=import-file]').setInputFiles(npzPath);
    await page.locator('[data-testid=import-bar]').waitFor();
    expect(page.url()).toMatch(/#\/new\?import=1$/);
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Import .*\.npz$/);
    expect(await page.locator('[data-testid=import-bar]').textContent()).toMatch(/U 6×1\s*W 6×6\s*V 1×6/);
    expect(await page.locator('[data-testid=import-no-config]').textContent()).toMatch(/carries no run config/);
    expect(await field('model.hidden').locator('input').inputValue()).toBe('6');
    expect(await field('model.hidden').locator('input').isDisabled()).toBe(true);
    expect(await field('task.kind').locator('select').inputValue()).toBe('sine');
    expect(await field('task.channels').locator('input').inputValue()).toBe('1');
    await screenshot(page, 'import-dialog-npz');
    expect(pageErrors(page)).toEqual([]);
  });

  it('refuses a task whose sizes do not fit, naming the tensor', async () => {
    await field('task.kind').locator('select').selectOption('adding');
    await expect.poll(() => field('task.T').count()).toBe(1);
    const before = (await invoke(app.wb.handlers, 'runs:list', null)) as { ok: true; value: unknown[] };
    await page.locator('[data-testid=create-run]').click();
    const alert = page.locator('[data-testid=notices] [role=alert]').last();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /\.npz: weights: U is 6×1 \(6 values\); the model needs 6×2 \(the config.s model: m=2, d=6, n=1, no biases\)/,
    );
    const after = (await invoke(app.wb.handlers, 'runs:list', null)) as { ok: true; value: unknown[] };
    expect(after.value).toHaveLength(before.value.length);
    await field('task.kind').locator('select').selectOption('sine');
    await expect.poll(() => field('task.channels').count()).toBe(1);
    await field('task.channels').locator('input').fill('1');
    await alert.getByRole('button', { name: 'Dismiss' }).click(); // dismissed, so it covers nothing in the next screenshot
  });

  it('lets the training be edited before the run exists, and starts from the file’s weights', async () => {
    await field('training.steps').locator('input').fill('77');
    await field('training.lr').locator('input').fill('0.005');
    await page.locator('[data-testid=create-run]').click();
    await page.waitForURL(/#\/runs\/\d+$/);
    const id = Number(/#\/runs\/(\d+)$/.exec(page.url())![1]);
    const run = app.wb.store.getRun(id)!;
    expect(run.config.training.steps).toBe(77);
    expect(run.config.training.lr).toBe(0.005);
    expect(run.config.model.hidden).toBe(6);
    const start = app.wb.store.latestCheckpoint(id)!;
    const exported = app.wb.store.latestCheckpoint(source.id)!;
    expect(start.step).toBe(0);
    for (const name of ['U', 'W', 'V'] as const) expect(bits(start.weights[name].data)).toBe(bits(exported.weights[name].data));
  });
});

describe('evaluate on data', () => {
  it('draws a snapshot’s predictions against the targets, with the loss', async () => {
    const csvPath = join(app.wb.databasePath, '..', 'weather-next.csv');
    writeFileSync(csvPath, `temperature,humidity\n${rows.slice(100).join('\n')}\n`);
    await page.goto(page.url().replace(/#.*$/, `#/runs/${csvRun.id}/snapshots`));
    await page.locator('[data-testid=evaluate-pick]').waitFor();
    await page.locator('[data-testid=evaluate-file]').setInputFiles(csvPath);
    const summary = page.locator('[data-testid=evaluate-summary]');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(
      /^50 rows of weather-next\.csv from the snapshot at step 60: loss [\d.e+-]+ over 49 steps \([\d.e+-]+ per step, normalised as in training\)$/,
    );
    await page.locator('[data-testid=evaluate-chart-1]').waitFor();
    await page.locator('[data-testid=evaluate]').scrollIntoViewIfNeeded();
    await screenshot(page, 'evaluate-on-data');
    expect(pageErrors(page)).toEqual([]);
  });
});
