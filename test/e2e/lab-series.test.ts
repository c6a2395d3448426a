// The gradient lab's numbers as the run view shows them, in real Chromium at
// 1024 px against serve mode with real workers: a text run (loss in bits per
// character, the probe decoded with its mismatches, a seeded sample), an
// adding run (its 29 masked probe steps not drawn, the task's baseline on
// the loss chart), an exploding run with biases (an update ratio that is
// +∞ at step 1, marked), and an online RTRL run (its gradient's cosine to
// the exact one over training); W's spectrum at every evaluation from step
// 0 and the gradient flow heatmap in each.

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/contract';
import { invoke } from '../../main/api/handlers';
import { waitFor } from '../support/workbench';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';

let app: App;
let page: Page;
let text: RunRecord, adding: RunRecord, wild: RunRecord, online: RunRecord;

async function createRun(name: string, config: unknown): Promise<RunRecord> {
  const r = await invoke(app.wb.handlers, 'runs:create', { config, name, tags: [], notes: '', start: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as RunRecord;
}

beforeAll(async () => {
  app = await startApp({ maxConcurrent: 2 });
  text = await createRun('sonnets', {
    task: { kind: 'text', T: 48 },
    method: { kind: 'bptt' },
    model: { hidden: 32 },
    training: { steps: 300, lr: 0.01, evalEvery: 20, snapshotEvery: 100 },
  });
  adding = await createRun('adding', {
    task: { kind: 'adding', T: 30 },
    method: { kind: 'bptt' },
    model: { hidden: 16 },
    training: { steps: 200, lr: 0.01, evalEvery: 10 },
  });
  await Promise.all([waitFor(app.wb, text.id, ['completed']), waitFor(app.wb, adding.id, ['completed'])]);
  wild = await createRun('gain 2, SGD 0.02, biases', {
    task: { kind: 'sine', channels: 2, T: 20 },
    method: { kind: 'bptt' },
    model: { hidden: 32, init: 'orthogonal', gain: 2, hiddenBias: true },
    training: { steps: 400, lr: 0.02, optimizer: { kind: 'sgd' }, evalEvery: 10 },
  });
  online = await createRun('online RTRL', {
    task: { kind: 'sine', channels: 2, T: 20 },
    method: { kind: 'rtrl-online' },
    model: { hidden: 8 },
    training: { steps: 120, lr: 0.002, evalEvery: 10, batchSize: 1 },
  });
  await Promise.all([waitFor(app.wb, wild.id, ['diverged', 'completed']), waitFor(app.wb, online.id, ['completed'])]);
  page = await openPage(app, '#/runs');
  await page.setViewportSize({ width: 1024, height: 800 });
}, 240_000);
afterAll(async () => {
  await app?.close();
});

async function openRun(id: number): Promise<void> {
  await page.goto(page.url().replace(/#.*$/, `#/runs/${id}`));
  await page.locator('[data-testid=live-view]').waitFor();
  await expect.poll(() => page.locator('[data-testid=spectrum-timeline] .muted').textContent()).toMatch(/evaluations$/);
}

/** The rows of a chart's CSV export: series label, x, y. */
async function chartCsv(testId: string): Promise<{ label: string; x: number; y: number }[]> {
  const chart = page.locator(`[data-testid=${testId}]`);
  const [download] = await Promise.all([page.waitForEvent('download'), chart.getByRole('button', { name: 'CSV', exact: true }).click()]);
  const lines = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return lines.map((l) => {
    const cells = l.split(',');
    return { label: cells.slice(0, -2).join(',').replace(/^"|"$/g, ''), x: Number(cells.at(-2)), y: Number(cells.at(-1)) };
  });
}

describe('the gradient lab in the run view', () => {
  it('a text run: loss in bits per character, the probe decoded, a seeded sample', async () => {
    await openRun(text.id);
    await expect.poll(() => page.locator('[data-testid=loss-chart] h3').textContent()).toBe('Loss (bits per character)');
    await expect.poll(() => page.locator('[data-testid=probe-text] h3').textContent()).toBe('Probe decoded at step 300');
    const target = (await page.locator('[data-testid=probe-target]').textContent())!.replace(/\s+/g, '');
    expect([...target].length).toBeGreaterThan(30);
    expect(await page.locator('[data-testid=probe-accuracy]').textContent()).toMatch(/^\d+\.\d% of counted steps right/);
    expect(await page.locator('[data-testid=probe-loss-chart] h3').textContent()).toBe('Probe: loss per time step (bits per character)');
    const perStep = await chartCsv('probe-loss-chart');
    expect(perStep).toHaveLength(48);
    // the baseline (character frequencies) in bits per character is a few bits, the trained loss below it
    const baseline = (await chartCsv('loss-chart')).filter((r) => r.label.startsWith('baseline'));
    expect(baseline[0].label).toBe('baseline: character frequencies');
    expect(baseline[0].y).toBeGreaterThan(2);
    expect(baseline[0].y).toBeLessThan(6);

    await page.locator('[data-testid=sample-seed]').fill('7');
    await page.locator('[data-testid=sample-button]').click();
    const sample = page.locator('[data-testid=sample-text]');
    await sample.waitFor();
    const first = await sample.textContent();
    expect([...first!].length).toBe(301);
    await page.locator('[data-testid=sample-button]').click();
    await expect.poll(() => sample.textContent()).toBe(first);
    await page.locator('[data-testid=probe-text]').scrollIntoViewIfNeeded();
    await screenshot(page, 'lab-text-probe');
    await screenshot(page, 'lab-text-run', true);
  });

  it('an adding run: masked probe steps not drawn, the baseline on the loss chart', async () => {
    await openRun(adding.id);
    await expect
      .poll(() => page.locator('[data-testid=probe-chart] h3').textContent())
      .toBe('Probe: predictions vs targets (step 200) · 29 masked steps not drawn');
    const probe = await chartCsv('probe-chart');
    expect(probe.map((r) => [r.label, r.x])).toEqual([
      ['target', 30],
      ['prediction', 30],
    ]);
    expect((await chartCsv('probe-loss-chart')).map((r) => r.x)).toEqual([30]);
    const baseline = (await chartCsv('loss-chart')).filter((r) => r.label === 'baseline: predict the mean');
    expect(baseline).toHaveLength(2);
    expect(baseline[0].y).toBeCloseTo(baseline[1].y, 12);
    expect(baseline[0].y).toBeGreaterThan(0.1);
    await screenshot(page, 'lab-adding-run', true);
  });

  it('an exploding run: the non-finite update ratio marked at its step; the spectrum from step 0', async () => {
    await openRun(wild.id);
    const update = await chartCsv('update-chart');
    // +∞ (no update is relative to a zero bias); serve mode's JSON carries it as null, so 'non-finite'
    const marker = update.find((r) => r.label === 'b: non-finite at step 1');
    expect(marker).toBeDefined();
    expect(marker!.x).toBe(1);
    // the slider walks the evaluations back to the initialisation
    const slider = page.locator('[data-testid=spectrum-slider]');
    await slider.fill('0');
    await expect.poll(() => page.locator('[data-testid=spectrum-timeline] h3').textContent()).toMatch(/^Eigenvalues of W at step 0 \(ρ = /);
    expect(await page.locator('[data-testid=spectral-chart] canvas').count()).toBe(1);
    await page.locator('[data-testid=flow-heatmap]').scrollIntoViewIfNeeded();
    await screenshot(page, 'lab-exploding-spectrum-flow');
    await screenshot(page, 'lab-exploding-run', true);
  });

  it('an online RTRL run: the cosine and norm ratio to the exact gradient over training', async () => {
    await openRun(online.id);
    // the older evaluations load after the newest: wait for them
    const overall = async () => (await chartCsv('alignment-cosine')).filter((r) => r.label === 'all parameters');
    await expect.poll(async () => (await overall()).length).toBeGreaterThanOrEqual(10);
    const all = await overall();
    for (const r of all) {
      expect(r.y).toBeGreaterThan(-1);
      expect(r.y).toBeLessThan(1);
    }
    expect(all.map((r) => r.x)).toEqual([...all.map((r) => r.x)].sort((a, b) => a - b));
    const ratio = await chartCsv('alignment-ratio');
    expect(ratio.filter((r) => r.label === 'W').length).toBe(all.length);
    await page.locator('[data-testid=alignment-charts]').scrollIntoViewIfNeeded();
    await screenshot(page, 'lab-online-alignment');
    await screenshot(page, 'lab-online-run', true);
    expect(pageErrors(page)).toEqual([]);
  });
});
