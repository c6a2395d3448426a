// `rnn-workbench export` and `import` end to end: files written and read
// on disk, a run moved between two database files, and bad usage refused
// with exit code 2 and the reason.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../main/cli/index';
import { openWorkbench } from '../../../main/workbench';
import { decodeNpz } from '../../../main/transfer/npz';
import { bits, smallConfig, trainedRun } from './fixtures';

let dir: string;
let db: string;
let runId: number;
let weights: Record<string, number[]>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'transfer-cli-'));
  db = join(dir, 'a.db');
  const wb = openWorkbench({
    databasePath: db,
    spawn: () => {
      throw new Error('no workers here');
    },
  });
  const run = trainedRun(wb, smallConfig());
  runId = run.id;
  weights = Object.fromEntries(Object.entries(wb.store.latestCheckpoint(run.id)!.weights).map(([k, m]) => [k, Array.from(m.data)]));
  await wb.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe('rnn-workbench export / import', () => {
  it('exports a snapshot to .npz at the given path', async () => {
    const path = join(dir, 'w.npz');
    const r = await cli('export', String(runId), '--format', 'npz', '--out', path, '--db', db);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(new RegExp(`^wrote ${path} \\(\\d+ bytes\\)\\n$`));
    const arrays = decodeNpz(readFileSync(path), path);
    for (const [k, v] of Object.entries(weights)) expect(bits(arrays.get(k)!.data)).toBe(bits(v));
  });

  it('writes CSV as one file per matrix into a folder', async () => {
    const out = join(dir, 'csv');
    const r = await cli('export', String(runId), '--format', 'csv', '--step', '10', '--out', out, '--db', db, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).written).toEqual(['U', 'W', 'V'].map((n) => join(out, `${n}.csv`)));
    expect(readdirSync(out).sort()).toEqual(['U.csv', 'V.csv', 'W.csv']);
  });

  it('moves a whole run to another database as an archive', async () => {
    const path = join(dir, 'run.rnnrun');
    expect((await cli('export', String(runId), '--format', 'archive', '--out', path, '--db', db)).code).toBe(0);
    const other = join(dir, 'b.db');
    const r = await cli('import', path, '--db', other);
    expect(r).toMatchObject({ code: 0, out: 'imported run.rnnrun as run 1 "trained run" (completed, step 30)\n' });
  });

  it('imports weights as a new run, taking the config from the file or the flags', async () => {
    const json = join(dir, 'w.json');
    await cli('export', String(runId), '--format', 'json', '--out', json, '--db', db);
    const r = await cli('import', json, '--db', db, '--name', 'from json', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ name: 'from json', status: 'created', tags: ['imported'] });
    const longer = await cli('import', json, '--db', db, '--steps', '500', '--json');
    expect(JSON.parse(longer.out).config).toEqual({ ...smallConfig(), training: { ...smallConfig().training, steps: 500 } });
    const bad = await cli('import', json, '--db', db, '--hidden', '4');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^error: w\.json: weights: U is 5×2 \(10 values\); the model needs 4×2/);
  });

  it('refuses bad usage with exit code 2 and the reason', async () => {
    expect(await cli('export', String(runId), '--db', db)).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /^error: export: --format must be one of json, npz, npy, safetensors, pytorch, onnx, csv, metrics-csv, metrics-jsonl, archive\n/,
      ),
    });
    expect(await cli('export', String(runId), '--format', 'npz', '--step', '7', '--db', db, '--out', join(dir, 'x.npz'))).toMatchObject({
      code: 2,
      err: `error: run ${runId} has no snapshot at step 7; it has 0, 10, 20, 30\n`,
    });
    expect(existsSync(join(dir, 'x.npz'))).toBe(false);
    expect(await cli('import', join(dir, 'missing.npz'), '--db', db)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^error: import: cannot read .*missing\.npz/),
    });
    expect((await cli('--help')).out).toMatch(/^ {2}export <run> --format F/m);
  });
});
