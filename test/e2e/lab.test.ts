// The gradient lab as a user meets it, in real Chromium against serve mode
// with real workers, on a small RTRL run and a BPTT run: opened from the
// history table, every view showing the engine's numbers for the chosen
// snapshot, the referee run and kept across a reload, a replayed step
// equal to its record, a model too large for the app refused with its
// sizes, and a screenshot of each view at 1024 and 1440 px.

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/contract';
import { invoke } from '../../main/api/handlers';
import { inspectSnapshot, refereeSnapshot } from '../../native-worker/engine/lab/index';
import { formatNumber } from '../../renderer/format';
import { waitFor } from '../support/workbench';
import { openPage, pageErrors, screenshot, startApp, type App } from './support/app';

let app: App;
let page: Page;
let rtrl: RunRecord, bptt: RunRecord, big: RunRecord;

async function createRun(name: string, config: unknown): Promise<RunRecord> {
  const r = await invoke(app.wb.handlers, 'runs:create', { config, name, tags: [], notes: '', start: true });
  if (!r.ok) throw new Error(r.error.message);
  return r.value as RunRecord;
}

beforeAll(async () => {
  app = await startApp();
  const training = { steps: 60, lr: 0.02, evalEvery: 20, snapshotEvery: 20 };
  rtrl = await createRun('rtrl sine', {
    seed: 5,
    task: { kind: 'sine', channels: 2, T: 24 },
    method: { kind: 'rtrl' },
    model: { hidden: 8 },
    training,
  });
  bptt = await createRun('bptt adding', {
    seed: 6,
    task: { kind: 'adding', T: 16 },
    method: { kind: 'bptt' },
    model: { hidden: 12 },
    training,
  });
  big = await createRun('d = 64', {
    task: { kind: 'sine', T: 100 },
    method: { kind: 'bptt' },
    model: { hidden: 64 },
    training: { steps: 2 },
  });
  await Promise.all([rtrl, bptt, big].map((r) => waitFor(app.wb, r.id, ['completed'])));
  page = await openPage(app, '#/runs');
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const byTestId = (id: string) => page.locator(`[data-testid=${id}]`);
type Raf = { requestAnimationFrame(f: () => void): void };
/** Two animation frames: the charts have redrawn at the new size. */
const frames = () =>
  page.evaluate(
    () =>
      new Promise<void>((r) =>
        (globalThis as unknown as Raf).requestAnimationFrame(() => (globalThis as unknown as Raf).requestAnimationFrame(r)),
      ),
  );

/** The whole page at both widths the lab must read well at. */
async function shots(name: string): Promise<void> {
  for (const width of [1024, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    await frames();
    await screenshot(page, `lab-${name}-${width}`, true);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

const latest = (r: RunRecord) => ({ config: app.wb.store.getRun(r.id)!.config, checkpoint: app.wb.store.latestCheckpoint(r.id)! });

describe('the gradient lab', () => {
  it('opens from the history row, runs the referee on the latest snapshot, and shows the engine’s table', async () => {
    await byTestId(`lab-${rtrl.id}`).click();
    await byTestId('lab-view').waitFor();
    expect(page.url()).toMatch(new RegExp(`#/runs/${rtrl.id}/lab$`));
    await byTestId('referee-empty').waitFor();
    expect(await byTestId('lab-step').textContent()).toBe('step 60');
    await byTestId('run-referee').click();
    await byTestId('referee-methods').waitFor({ timeout: 60_000 });

    const { config, checkpoint } = latest(rtrl);
    const expected = refereeSnapshot(config, checkpoint);
    expect(await byTestId('referee-caption').textContent()).toMatch(/Snapshot at step 60, run .* probe of T = 24 time steps/);
    const methods = await byTestId('referee-methods')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-method')));
    expect(methods).toEqual(expected.methods.map((m) => m.name));
    // ‖∂E/∂W‖ by exact RTRL, and every pair's relative error and cosine for W
    const normW = byTestId('referee-methods').locator('tr[data-method=rtrl] td').nth(4);
    expect(await normW.textContent()).toBe(formatNumber(expected.methods[0].norm.W, 6));
    for (const p of expected.pairs) {
      const cell = (kind: string) => byTestId('referee-W').locator(`td[data-pair="${p.a}|${p.b}"][data-kind=${kind}]`);
      expect((await cell('error').textContent())!.trim()).toBe(formatNumber(p.relativeError.W, 3));
      expect((await cell('cosine').textContent())!.trim()).toBe(p.cosine.W!.toFixed(6));
    }
    // the exact methods agree, and are shown so
    expect(await byTestId('referee-W').locator('td[data-pair="rtrl|bptt"][data-kind=error]').getAttribute('class')).toContain('good');
    await shots('referee');
  });

  it('shows the stored referee after a reload, with its step', async () => {
    await page.reload();
    await byTestId('referee-methods').waitFor();
    expect(await byTestId('referee-caption').textContent()).toMatch(/step 60/);
    expect((await invoke(app.wb.handlers, 'lab:referees', { id: rtrl.id })).ok).toBe(true);
  });

  it('draws the gradient flow with the engine’s numbers', async () => {
    await byTestId('lab-tab-flow').click();
    await byTestId('flow-chart').locator('canvas').waitFor();
    const { config, checkpoint } = latest(rtrl);
    const r = inspectSnapshot(config, checkpoint);
    await expect
      .poll(() => byTestId('flow-summary').textContent(), { timeout: 60_000 })
      .toContain(formatNumber(r.flow.at(-1)! / r.flow[0], 3));
    const points = Number(await byTestId('flow-chart').locator('.chart-box').getAttribute('data-points'));
    expect(points).toBe(r.flow.filter((v) => v > 0).length + r.jacobian.filter((v) => v > 0).length);
    await shots('flow');
  });

  it('shows the spectrum, and scrubs to an earlier snapshot', async () => {
    await byTestId('lab-tab-spectrum').click();
    const { config } = latest(rtrl);
    const at = (step: number) => inspectSnapshot(config, app.wb.store.checkpointAt(rtrl.id, step)!);
    await expect.poll(() => byTestId('spectral-radius').textContent(), { timeout: 60_000 }).toBe(formatNumber(at(60).spectralRadius, 6));
    expect(await byTestId('singular-max').textContent()).toBe(formatNumber(at(60).singularMax, 6));
    await shots('spectrum');
    await byTestId('lab-snapshot').fill('1'); // the slider: snapshots at 0, 20, 40, 60
    await expect.poll(() => byTestId('lab-step').textContent()).toBe('step 20');
    await expect.poll(() => byTestId('lab-view').getAttribute('data-report-step'), { timeout: 60_000 }).toBe('20');
    expect(await byTestId('spectral-radius').textContent()).toBe(formatNumber(at(20).spectralRadius, 6));
    await shots('spectrum-step-20');
  });

  it('shows the hidden states: PCA, saturation per unit and the fixed points', async () => {
    await byTestId('lab-tab-states').click();
    await byTestId('pca-plot').locator('canvas').waitFor();
    expect(await byTestId('lab-view').getAttribute('data-report-step')).toBe('20');
    const r = inspectSnapshot(latest(rtrl).config, app.wb.store.checkpointAt(rtrl.id, 20)!);
    expect(await byTestId('saturation-total').textContent()).toBe(`${(100 * r.saturation).toFixed(1)} %`);
    // every state of the trajectory lies inside the axes as drawn
    const drawn = JSON.parse((await byTestId('pca-plot').locator('.chart-box').getAttribute('data-drawn'))!);
    for (const [c, axis] of [
      [0, 'x'],
      [1, 'y'],
    ] as const) {
      const values = r.pca.projected.map((row) => row[c]);
      expect(drawn[axis][0]).toBeLessThanOrEqual(Math.min(...values));
      expect(drawn[axis][1]).toBeGreaterThanOrEqual(Math.max(...values));
    }
    expect(await byTestId('saturation-bars').locator('[role=listitem]').count()).toBe(8);
    expect(await byTestId('fixed-points').locator('tbody tr').count()).toBe(r.fixedPoints.length);
    await shots('states');
  });

  it('replays a step of the BPTT run, equal to its record, with its δ and sensitivity heatmaps', async () => {
    await page.goto(page.url().replace(/#.*$/, `#/runs/${bptt.id}/lab?tab=replay`));
    await byTestId('replay-step').fill('47');
    await byTestId('run-replay').click();
    await byTestId('replay-verdict').waitFor({ timeout: 60_000 });
    expect(await byTestId('replay-verdict').textContent()).toMatch(/Step 47 is equal to the stored record, bit for bit/);
    const [stored] = app.wb.store.readSteps(bptt.id, 47, 47);
    const loss = byTestId('replay-table').locator('tr[data-field=loss] td');
    expect(await loss.nth(1).textContent()).toBe(String(stored.loss));
    expect(await loss.nth(2).textContent()).toBe(String(stored.loss));
    expect(await page.getByText('Replayed from the snapshot at step 40.').count()).toBe(1);
    for (const id of ['replay-deltas', 'replay-sens-w', 'replay-sens-u']) await byTestId(id).locator('canvas').waitFor();
    await shots('replay');
  });

  it('refuses the referee on a model too large for the app, with the sizes, in the tab that asked', async () => {
    await page.goto(page.url().replace(/#.*$/, `#/runs/${big.id}/lab`));
    await byTestId('run-referee').click();
    await byTestId('referee-error').waitFor();
    expect(await byTestId('referee-error').textContent()).toMatch(
      /the referee would take about \d\.\d G multiply-adds here \(d = 64, T = 100\), over the app's limit of 2\.0 G/,
    );
    await shots('too-large');
    expect(pageErrors(page)).toEqual([]);
  });
});
