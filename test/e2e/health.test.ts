// The health monitor as a user meets it, in real Chromium against serve
// mode with real workers: a run that explodes (orthogonal init with gain 2,
// SGD 0.02) ends diverged on its runaway loss with every number still
// finite, and the history table and the run view name it exploding with
// its reasons and remedy; a quiet run beside it is healthy.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/contract';
import { invoke } from '../../main/api/handlers';
import { waitFor } from '../support/workbench';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';

let app: App;
let page: Page;
let quiet: RunRecord, wild: RunRecord;

const sine = { kind: 'sine', channels: 2, T: 20 };

async function createRun(name: string, config: unknown): Promise<RunRecord> {
  const r = await invoke(app.wb.handlers, 'runs:create', { config, name, tags: [], notes: '', start: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as RunRecord;
}

beforeAll(async () => {
  app = await startApp();
  quiet = await createRun('quiet', { task: sine, method: { kind: 'bptt' }, model: { hidden: 8 }, training: { steps: 200, lr: 0.01 } });
  wild = await createRun('gain 2, SGD 0.02', {
    task: sine,
    method: { kind: 'bptt' },
    model: { hidden: 32, init: 'orthogonal', gain: 2 },
    training: { steps: 400, lr: 0.02, optimizer: { kind: 'sgd' } },
  });
  await Promise.all([waitFor(app.wb, quiet.id, ['completed']), waitFor(app.wb, wild.id, ['diverged'])]);
  page = await openPage(app, '#/runs');
});
afterAll(async () => {
  await app?.close();
});

const row = (id: number) => page.locator(`tr[data-run-id="${id}"]`);

describe('the health of a run', () => {
  it('shows in the history table, with the reasons and the remedy on hover', async () => {
    await page.locator('[data-testid=runs-table]').waitFor();
    await expect.poll(() => row(quiet.id).locator('[data-testid=health-state]').textContent()).toBe('healthy');
    const state = row(wild.id).locator('[data-testid=health-state]');
    await expect.poll(() => state.textContent()).toBe('exploding');
    const title = (await state.getAttribute('title'))!;
    expect(title).toMatch(/^exploding since step \d+\n/);
    expect(title).toMatch(
      /remedy: clip gradients \(training\.clipNorm 1\); lower the learning rate \(0\.02 → 0\.002\); lower the init gain \(2 → 1\)$/,
    );
    await state.hover();
    await screenshot(page, 'health-history');
  });

  it('shows in the run view header, with the divergence it warned of', async () => {
    await page.goto(page.url().replace(/#.*$/, `#/runs/${wild.id}`));
    await page.locator('[data-testid=live-view]').waitFor();
    const head = page.locator('.view-head');
    await expect.poll(() => head.locator('[data-testid=health-state]').textContent()).toBe('exploding');
    expect(await head.locator('[data-testid=health-detail]').textContent()).toMatch(/^\S.* — remedy: clip gradients/);
    expect(await page.locator('.banner').textContent()).toMatch(
      /the loss grew .* more than training\.divergenceFactor 1000000\. Health: exploding since step/,
    );
    await screenshot(page, 'health-run', true);
    expect(pageErrors(page)).toEqual([]);
  });
});
