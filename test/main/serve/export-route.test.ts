// GET /export in serve mode: the export streamed as a download with its
// file name, the token required, and a bad request answered as JSON before
// any byte of a file.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../common/contract';
import { openWorkbench, type Workbench } from '../../../main/workbench';
import { startServer, type RunningServer } from '../../../main/serve/server';
import { readZip } from '../../../main/transfer/zip';
import { config, makeCheckpoint, makeEval, makeSteps } from '../store/fixtures';

let dir: string;
let wb: Workbench;
let server: RunningServer;
let run: RunRecord;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'serve-export-'));
  mkdirSync(join(dir, 'static'));
  wb = openWorkbench({
    databasePath: join(dir, 'wb.db'),
    spawn: () => {
      throw new Error('no workers here');
    },
  });
  run = wb.store.createRun({ name: 'served', config, appVersion: 'test' });
  wb.store.appendProgress(run.id, { steps: makeSteps(1, 3000), evals: [makeEval(1000, 0.5)], checkpoints: [makeCheckpoint(3000)] });
  server = await startServer({ workbench: wb, staticDir: join(dir, 'static') });
});
afterAll(async () => {
  await server.close();
  await wb.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(query: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(`${server.origin}/export?${query}`, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('GET /export', () => {
  it('streams the metrics as a download named for the run', async () => {
    const r = await get(`token=${server.token}&kind=metrics&id=${run.id}&format=jsonl`);
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="served-run${run.id}-metrics.jsonl"`);
    const lines = r.body.toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3000);
    expect(JSON.parse(lines[999])).toMatchObject({ step: 1000, validationLoss: 0.5 });
  });

  it("streams the archive and a snapshot's weights", async () => {
    const archive = await get(`token=${server.token}&kind=archive&id=${run.id}`);
    expect(archive.headers['content-type']).toBe('application/zip');
    expect([...readZip(archive.body, 'a').keys()]).toContain('snapshots/3000/W.npy');
    const weights = await get(`token=${server.token}&kind=weights&id=${run.id}&format=json&dtype=float64`);
    expect(JSON.parse(weights.body.toString('utf8'))).toMatchObject({ step: 3000 });
  });

  it('refuses a missing token, a bad request and an unknown run, as JSON', async () => {
    expect((await get(`kind=archive&id=${run.id}`)).status).toBe(401);
    const bad = await get(`token=${server.token}&kind=metrics&id=${run.id}&format=xlsx`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString('utf8'))).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringMatching(/^GET \/export: format: /) },
    });
    const gone = await get(`token=${server.token}&kind=archive&id=999`);
    expect([gone.status, JSON.parse(gone.body.toString('utf8'))]).toEqual([
      404,
      { ok: false, error: { code: 'no-such-run', message: 'run 999 does not exist' } },
    ]);
  });
});
