// A run from the form to the history, in real Chromium against serve mode
// with real workers: inline validation, the live loss chart receiving
// points, pause, resume, snapshot, stop, and finding the run in the table.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';
import { chartPoints, shownStep, waitForChartBeyond, waitForMorePoints, waitForStatus } from './support/page';

let app: App;
let page: Page;

beforeAll(async () => {
  app = await startApp({ progressEveryMs: 50 });
  page = await openPage(app, '#/new');
});
afterAll(async () => {
  await app?.close();
});

const field = (path: string) => page.locator(`[data-field="${path}"]`);

describe('a run from the form to the history', () => {
  it("shows the engine's message beside a bad field, and the cost estimate of a good config", async () => {
    await field('training.lr').locator('input').fill('-1');
    await expect.poll(() => field('training.lr').locator('.field-error').textContent()).toContain('must be greater than 0');
    await field('training.lr').locator('input').fill('fast');
    await expect.poll(() => field('training.lr').locator('.field-error').textContent()).toContain('is not a number');
    await field('model.hidden').locator('input').fill('0');
    await expect.poll(() => field('model.hidden').locator('.field-error').textContent()).toContain('must be at least 1');
    await screenshot(page, 'form-validation');

    await field('training.lr').locator('input').fill('0.01');
    await field('model.hidden').locator('input').fill('24');
    await field('method.kind').locator('select').selectOption('bptt');
    await field('training.steps').locator('input').fill('10000000');
    await field('training.snapshotEvery').locator('input').fill('500');
    await page.locator('[data-testid=run-name-input]').fill('e2e live run');
    await expect.poll(() => page.locator('.field-error').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=estimate-memory]').textContent()).toMatch(/KiB|MiB/);
  });

  it('starts the run and the loss chart receives points', async () => {
    await page.click('[data-testid=start-run]');
    await page.locator('[data-testid=live-view]').waitFor();
    await waitForStatus(page, 'running');
    const first = await waitForChartBeyond(page, 'loss-chart', -Infinity);
    expect(await waitForChartBeyond(page, 'loss-chart', first + 20)).toBeGreaterThan(first + 20);
    // Evaluations arrive too: the probe chart and the gradient norms are drawn.
    await waitForMorePoints(page, 'probe-chart', 0);
    expect(await chartPoints(page, 'grad-chart')).toBeGreaterThan(0);
    // the engine that trains it, with its kernels, once the worker has said which
    await expect.poll(() => page.locator('.view-head').textContent()).toMatch(/engine \d+\.\d+\.\d+ \((native|wasm-fma|wasm|ts) kernels\)/);
    await expect.poll(() => shownStep(page), { timeout: 60_000 }).toBeGreaterThan(3000);
    await page.locator('[data-testid=loss-chart]').getByLabel('log').check();
    await page.waitForTimeout(300);
    await screenshot(page, 'live-run', true);
  });

  it('pauses and resumes', async () => {
    await page.click('[data-testid=pause]');
    await waitForStatus(page, 'paused');
    await page.locator('[data-testid=resume]').waitFor();
    await screenshot(page, 'live-run-paused');
    const atPause = await shownStep(page);
    await page.keyboard.press(' ');
    await waitForStatus(page, 'running');
    await expect.poll(() => shownStep(page), { timeout: 30_000 }).toBeGreaterThan(atPause);
  });

  it('takes a snapshot on request, switches to the dark theme, and stops', async () => {
    await page.click('[data-testid=snapshot]');
    await page
      .locator('[data-testid=notices]')
      .getByText(/Snapshot of run \d+ requested/)
      .waitFor();
    await page.keyboard.press('t');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await screenshot(page, 'live-run-dark');
    await page.keyboard.press('t');
    await page.click('[data-testid=stop]');
    await waitForStatus(page, 'stopped');
    await screenshot(page, 'live-run-stopped');
  });

  it('finds the run in the history', async () => {
    await page.click('[data-testid=nav-history]');
    await page.locator('[data-testid=runs-table]').waitFor();
    await page.locator('[data-testid=search]').fill('e2e live');
    const row = page.locator('[data-testid=runs-table] tbody tr[data-run-id]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-testid=status]').textContent()).toBe('stopped');
    expect(await row.locator('td.name').textContent()).toContain('e2e live run');
    await screenshot(page, 'history');
  });

  it('renames and tags the run, and deletes it with an undo', async () => {
    await page.locator('[data-testid=search]').fill('');
    const row = page.locator('[data-testid=runs-table] tbody tr[data-run-id]').first();
    await row.getByRole('button', { name: 'edit' }).click();
    await page.locator('[data-testid=rename-input]').fill('e2e renamed');
    await page.locator('.run-editor').getByLabel('Add a tag').fill('keep');
    await page.locator('.run-editor').getByLabel('Add a tag').press('Enter');
    await page.locator('.run-editor').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('td.name').textContent()).toBe('e2e renamed');
    expect(await row.locator('td.tags').textContent()).toBe('keep');
    expect(app.wb.store.listRuns()[0]).toMatchObject({ name: 'e2e renamed', tags: ['keep'] });

    const id = Number(await row.getAttribute('data-run-id'));
    await page.locator(`[data-testid=delete-${id}]`).click();
    await expect.poll(() => page.locator(`tr[data-run-id="${id}"]`).count()).toBe(0);
    await page.locator('[data-testid=notices]').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator(`tr[data-run-id="${id}"]`).count()).toBe(1);
    expect(app.wb.store.getRun(id)).not.toBeNull();
    expect(pageErrors(page)).toEqual([]);
  });
});
