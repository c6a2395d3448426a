// Two finished runs that differ in two config fields: picked in the
// history, compared (overlay, config table with exactly those fields,
// summary), and one of them scrubbed through its weight snapshots.

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../main/api/handlers';
import type { RunRecord } from '../../common/contract';
import { waitFor } from '../support/workbench';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';
import { waitForMorePoints } from './support/page';

let app: App;
let page: Page;
let a: RunRecord, b: RunRecord;

const base = {
  task: { kind: 'sine', channels: 2, T: 20 },
  method: { kind: 'bptt' },
  model: { hidden: 8 },
  training: { steps: 400, lr: 0.01, evalEvery: 50, snapshotEvery: 100 },
};

async function createRun(name: string, config: unknown): Promise<RunRecord> {
  const r = await invoke(app.wb.handlers, 'runs:create', { config, name, tags: ['e2e'], notes: '', start: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as RunRecord;
}

beforeAll(async () => {
  app = await startApp();
  a = await createRun('baseline', base);
  b = await createRun('wider, faster', { ...base, model: { hidden: 12 }, training: { ...base.training, lr: 0.03 } });
  await Promise.all([waitFor(app.wb, a.id, ['completed']), waitFor(app.wb, b.id, ['completed'])]);
  page = await openPage(app, '#/runs');
});
afterAll(async () => {
  await app?.close();
});

describe('comparing runs and scrubbing snapshots', () => {
  it('compares two runs picked in the history, with exactly the changed fields in the config table', async () => {
    await page.locator('[data-testid=runs-table]').waitFor();
    for (const id of [a.id, b.id]) await page.locator(`tr[data-run-id="${id}"] input[type=checkbox]`).check();
    await page.click('[data-testid=compare-selected]');
    await page.locator('[data-testid=compare]').waitFor();
    await waitForMorePoints(page, 'compare-chart', 0);

    const rows = page.locator('[data-testid=config-diff] tbody tr[data-path]');
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-path'))))
      .toEqual(['model.hidden', 'training.lr']);
    const cells = async (path: string) => page.locator(`[data-testid=config-diff] tr[data-path="${path}"] td`).allTextContents();
    expect(await cells('model.hidden')).toEqual(['8', '12']);
    expect(await cells('training.lr')).toEqual(['0.01', '0.03']);
    expect(await page.locator('[data-testid=compare-summary] tbody tr').count()).toBe(2);
    await screenshot(page, 'compare');

    await page.locator('[data-testid=only-differences]').uncheck();
    await expect.poll(() => rows.count()).toBeGreaterThan(20);
    await page.locator('[data-testid=only-differences]').check();
    await expect.poll(() => rows.count()).toBe(2);
  });

  it('overlays another metric by training time', async () => {
    const before = await page.locator('[data-testid=compare-chart] [data-points]').getAttribute('data-points');
    await page.locator('[data-testid=compare-metric]').selectOption('gradNorm.W');
    await page.getByRole('button', { name: 'time', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid=compare-chart] h3').textContent()).toBe('gradNorm.W by training time');
    await waitForMorePoints(page, 'compare-chart', 0);
    expect(before).not.toBeNull();
    await screenshot(page, 'compare-gradnorm-time');
  });

  it('exports the chart as PNG and SVG and its data as CSV', async () => {
    const chart = page.locator('[data-testid=compare-chart]');
    const save = async (label: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        chart.getByRole('button', { name: label, exact: true }).click(),
      ]);
      const path = await download.path();
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const csv = await save('CSV');
    expect(csv.name).toBe('gradnorm-w-by-training-time.csv');
    const lines = csv.bytes.toString('utf8').trim().split('\n');
    expect(lines[0]).toBe('series,training_time_s,value');
    const rows = lines.slice(1).map((l) => ({
      run: l.startsWith('"#2 wider, faster"') ? 2 : l.startsWith('#1 baseline') ? 1 : 0,
      xy: l.split(',').slice(-2).map(Number),
    }));
    expect(rows.every((r) => r.run > 0 && r.xy.every(Number.isFinite))).toBe(true);
    expect(new Set(rows.map((r) => r.run))).toEqual(new Set([1, 2]));
    const svg = await save('SVG');
    expect(svg.bytes.toString('utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<path d="M[\s\S]*<\/svg>$/);
    const png = await save('PNG');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it("scrubs through a run's weight snapshots", async () => {
    await page.goto(`${app.server.origin}/#/runs/${a.id}/snapshots`);
    const step = page.locator('[data-testid=snapshot-step]');
    await expect.poll(() => step.textContent()).toBe('step 400');
    await page.locator('[data-testid=heatmap-W] canvas').waitFor();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => step.textContent()).toBe('step 300');
    await page.locator('[data-testid=scrubber]').fill('1'); // 0 is the initial weights' snapshot
    await expect.poll(() => step.textContent()).toBe('step 100');
    await expect.poll(() => page.locator('[data-testid=eigen-plot] h3').textContent()).toBe('Eigenvalues of W at step 100');
    await screenshot(page, 'snapshots');
  });

  it('saves the weights of the snapshot on screen, and brings a run back in from its archive', async () => {
    const download = async (select: string, value: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.locator(select).selectOption(value)]);
      return { name: d.suggestedFilename(), bytes: readFileSync(await d.path()) };
    };
    const weights = await download('[data-testid=snapshots] [data-testid=export-menu]', 'weights:json');
    expect(weights.name).toMatch(/\.json$/);
    expect(weights.bytes.toString('utf8')).toContain('"W"');

    await page.goto(`${app.server.origin}/#/runs/${a.id}`);
    const archive = await download('[data-testid=live-view] [data-testid=export-menu]', 'archive:');
    expect(archive.name).toMatch(/\.rnnrun$/);
    await page.goto(`${app.server.origin}/#/runs`);
    await page
      .locator('[data-testid=import-file]')
      .setInputFiles({ name: archive.name, mimeType: 'application/zip', buffer: archive.bytes });
    await page.locator('[data-testid=live-view]').waitFor();
    const imported = app.wb.store.listRuns().find((r) => r.id !== a.id && r.id !== b.id)!;
    expect(app.wb.store.getRun(imported.id)!.config).toEqual(app.wb.store.getRun(a.id)!.config);
    expect(imported.lastStep).toBe(400);
    await waitForMorePoints(page, 'loss-chart', 0);
    expect(pageErrors(page)).toEqual([]);
  });
});
