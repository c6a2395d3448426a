// A run another process trains, seen in the app: `rnn-workbench train` in a
// terminal while serve mode (and so the desktop app, which shares its
// services) has the same database open. The run appears in the history,
// its live view receives points as the CLI stores them, and Stop in the
// browser stops it in the CLI, which then ends normally.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPage, root, screenshot, startApp, type App } from './support/app';
import { shownStep, waitForChartBeyond, waitForStatus } from './support/page';

let app: App | null = null;
afterAll(async () => {
  await app?.close();
});

describe('a run another process trains', () => {
  it('shows live in the app, and Stop there stops it in the CLI', async () => {
    const databasePath = join(mkdtempSync(join(tmpdir(), 'wb-other-')), 'workbench.db');
    app = await startApp({ databasePath });
    const cli = spawn(
      process.execPath,
      [
        join(root, 'bin/rnn-workbench.js'),
        'train',
        '--task',
        'sine',
        '--method',
        'bptt',
        '--hidden',
        '16',
        '--steps',
        '100000000',
        '--name',
        'from a terminal',
        '--db',
        databasePath,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => cli.on('exit', (code) => r(code)));
    await expect.poll(() => /"type":"step"/.test(out), { timeout: 60_000 }).toBe(true);

    const page = await openPage(app, '#/runs');
    await expect.poll(() => page.locator('body').textContent()).toContain('from a terminal');
    const id = Number(/"run":(\d+)/.exec(out)![1]);
    await page.goto(`${app.server.url}#/runs/${id}`);
    await page.locator('[data-testid=live-view]').waitFor();
    await waitForStatus(page, 'running');
    const first = await waitForChartBeyond(page, 'loss-chart', -Infinity);
    expect(await waitForChartBeyond(page, 'loss-chart', first + 20)).toBeGreaterThan(first + 20);
    const step = await shownStep(page);
    await expect.poll(() => shownStep(page)).toBeGreaterThan(step);
    await screenshot(page, 'other-process-live', true);

    await page.click('[data-testid=stop]');
    await waitForStatus(page, 'stopped');
    expect(await exited, out).toBe(0);
    expect(out).toMatch(/"type":"end","run":\d+,"status":"stopped"/);
  });
});
