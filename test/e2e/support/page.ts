// Small waits on what the user sees: a status badge, a chart's point count,
// a number in the page. Each gives a clear message when it times out.

import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export async function waitForStatus(page: Page, status: string, timeout = 30_000): Promise<void> {
  await page.locator('.view-head [data-testid=status]').filter({ hasText: new RegExp(`^${status}$`) }).waitFor({ timeout });
}

/** The number of points a chart (by test id) draws. */
export async function chartPoints(page: Page, testId: string): Promise<number> {
  const v = await page.locator(`[data-testid=${testId}] [data-points]`).getAttribute('data-points');
  return Number(v ?? 0);
}

/** Wait until a chart draws more than `than` points; gives the new count. */
export async function waitForMorePoints(page: Page, testId: string, than: number, timeout = 30_000): Promise<number> {
  await expect.poll(() => chartPoints(page, testId), { timeout, message: `${testId} draws more than ${than} points` }).toBeGreaterThan(than);
  return chartPoints(page, testId);
}

/** The run view's current step (the first number of "415 / 20,000"). */
export async function shownStep(page: Page): Promise<number> {
  const text = (await page.locator('[data-testid=step]').textContent()) ?? '';
  return Number(text.split('/')[0].replace(/[^\d]/g, ''));
}
