// Small waits on what the user sees: a status badge, a chart's point count,
// a number in the page. Each gives a clear message when it times out.

import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function waitForStatus(page: Page, status: string, timeout = 30_000): Promise<void> {
  await page
    .locator('.view-head [data-testid=status]')
    .filter({ hasText: new RegExp(`^${status}$`) })
    .waitFor({ timeout });
}

/** The number of points a chart (by test id) draws. */
export async function chartPoints(page: Page, testId: string): Promise<number> {
  const v = await page.locator(`[data-testid=${testId}] [data-points]`).getAttribute('data-points');
  return Number(v ?? 0);
}

/** The largest x a chart (by test id) draws, or null while it is empty. */
export async function chartLastX(page: Page, testId: string): Promise<number | null> {
  const v = await page.locator(`[data-testid=${testId}] [data-points]`).getAttribute('data-last-x');
  return v === null ? null : Number(v);
}

/**
 * Wait until a live chart draws beyond x = `than`; gives its new last x. A
 * live chart's point count can fall (its buffer compacts), its last x cannot.
 */
export async function waitForChartBeyond(page: Page, testId: string, than: number, timeout = 30_000): Promise<number> {
  let seen = -Infinity;
  await expect
    .poll(async () => (seen = (await chartLastX(page, testId)) ?? -Infinity), { timeout, message: `${testId} draws beyond x = ${than}` })
    .toBeGreaterThan(than);
  return seen;
}

/** Wait until a chart draws more than `than` points; gives the new count. */
export async function waitForMorePoints(page: Page, testId: string, than: number, timeout = 30_000): Promise<number> {
  await expect
    .poll(() => chartPoints(page, testId), { timeout, message: `${testId} draws more than ${than} points` })
    .toBeGreaterThan(than);
  return chartPoints(page, testId);
}

/** The run view's current step (the first number of "415 / 20,000"). */
export async function shownStep(page: Page): Promise<number> {
  const text = (await page.locator('[data-testid=step]').textContent()) ?? '';
  return Number(text.split('/')[0].replace(/[^\d]/g, ''));
}
