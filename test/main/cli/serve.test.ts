// `serve` without a built renderer: refused with what to run, before any
// database is opened or created.

import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../main/runs/errors';
import { cli } from '../../support/cli';
import { tempDatabase } from '../../support/workbench';

vi.mock('../../../main/serve/command', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  // as on a fresh clone: no out/renderer (the real check looks for its index.html)
  rendererDir: () => {
    throw new ApiError('not-built', 'the renderer is not built yet: run `npm run build` (or `npm run build:renderer`) first');
  },
}));

describe('serve', () => {
  it('says to run `npm run build` and creates no database', async () => {
    const db = tempDatabase();
    const r = await cli('serve', '--db', db);
    expect(r.code).toBe(2);
    expect(r.err).toBe('error: the renderer is not built yet: run `npm run build` (or `npm run build:renderer`) first\n');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a bad port before anything else', async () => {
    const r = await cli('serve', '--port', '70000', '--db', tempDatabase());
    expect(r.err).toMatch(/^serve: --port "70000" is not a port\nusage: rnn-workbench serve \[--port N\]/);
  });

  it('its help says it needs a build', async () => {
    expect((await cli('serve', '--help')).out).toMatch(/needs `npm run build` first/);
  });
});
