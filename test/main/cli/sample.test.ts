// `rnn-workbench sample` on a text run trained by a real worker into a real
// database: seeded text from the latest snapshot or the one at --at, JSON
// with the settings, and clear refusals (a run that is not text, a bad
// temperature).

import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli';
import { tempDatabase } from '../../support/workbench';

const db = tempDatabase();

beforeAll(async () => {
  const common = ['--db', db, '--hidden', '8', '--steps', '20', '--snapshot-every', '10', '--json'];
  expect((await cli('train', ...common, '--task', 'text', '--T', '16', '--method', 'bptt')).code).toBe(0);
  expect((await cli('train', ...common, '--task', 'sine', '--method', 'bptt')).code).toBe(0);
}, 60_000);

describe('rnn-workbench sample', () => {
  it('prints seeded text from the latest snapshot, the same for the same seed', async () => {
    const a = await cli('sample', '1', '--db', db, '--length', '50', '--seed', '4');
    expect(a.code).toBe(0);
    expect([...a.out.replace(/\n$/, '')].length).toBeGreaterThanOrEqual(51);
    expect((await cli('sample', '1', '--db', db, '--length', '50', '--seed', '4')).out).toBe(a.out);
    expect((await cli('sample', '1', '--db', db, '--length', '50', '--seed', '5')).out).not.toBe(a.out);
  });

  it('takes the snapshot at or before --at, and says so in JSON', async () => {
    const r = await cli('sample', '1', '--db', db, '--at', '15', '--temperature', '0.5', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ id: 1, step: 10, length: 200, temperature: 0.5, seed: 1 });
    expect([...j.text]).toHaveLength(201);
  });

  it('refuses a run that is not text and a bad temperature, naming them', async () => {
    const sine = await cli('sample', '2', '--db', db);
    expect(sine.code).toBe(2);
    expect(sine.err).toMatch(/sine.*text/);
    const cold = await cli('sample', '1', '--db', db, '--temperature', '-1');
    expect(cold.code).toBe(2);
    expect(cold.err).toMatch(/temperature/);
  });
});
