// The desktop app's end-to-end scenario, the same in Electron and, where no
// Electron binary can run, in Chromium against serve mode: a small run
// configured in the form and trained to completion through the UI, then its
// weights exported and checked against the run's final snapshot.

import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ApiCalls, ApiChannel } from '../../../common/contract';
import { waitForStatus } from './page';

/** A call made from inside the page, through the transport that page uses. */
export type PageCall = <K extends ApiChannel>(channel: K, args: ApiCalls[K]['args']) => Promise<ApiCalls[K]['result']>;

export const STEPS = 300;

/** Fills the new-run form on `#/new`, starts the run and waits until the UI shows it completed; gives its id. */
export async function trainToCompletion(page: Page, name: string): Promise<number> {
  const field = (path: string) => page.locator(`[data-field="${path}"] input`);
  await field('model.hidden').fill('4');
  await field('training.steps').fill(String(STEPS));
  await field('training.snapshotEvery').fill('100');
  await page.locator('[data-testid=run-name-input]').fill(name);
  await expect.poll(() => page.locator('.field-error').count()).toBe(0);
  await page.click('[data-testid=start-run]');
  await page.locator('[data-testid=live-view]').waitFor();
  await waitForStatus(page, 'completed', 90_000);
  const id = Number(/#\/runs\/(\d+)/.exec(page.url())?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/** Exports the run's latest weights as JSON and checks them, value for value, against its final snapshot. */
export async function exportAndCheckWeights(call: PageCall, id: number): Promise<void> {
  const file = await call('export:weights', { id, step: null, format: 'json', dtype: 'float64' });
  expect(file.fileName).toMatch(/-step300\.json$/);
  const doc = JSON.parse(new TextDecoder().decode(file.data)) as {
    format: string;
    step: number;
    matrices: Record<string, { shape: number[]; data: number[][] }>;
  };
  expect(doc.format).toBe('rnn-workbench-weights');
  expect(doc.step).toBe(STEPS);
  const snapshot = await call('snapshots:get', { id, step: STEPS });
  for (const name of ['U', 'W', 'V'] as const) {
    const m = snapshot.weights[name];
    expect(doc.matrices[name].shape, name).toEqual([m.rows, m.cols]);
    expect(doc.matrices[name].data.flat(), name).toEqual(Array.from(m.data));
  }
  expect(doc.matrices.W.shape).toEqual([4, 4]);
}
