// `serve` mode over real HTTP and a real WebSocket: the token, the Host and
// Origin checks, the static files and their CSP, and the same handlers as IPC.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openWorkbench, type Workbench } from '../../../main/workbench';
import { startServer, type RunningServer } from '../../../main/serve/server';
import { wire } from '../../../main/serve/wire';
import { workerThreadChannel } from '../../../main/worker-host/node-channels';
import { workerSource } from '../../support/workers';

let wb: Workbench;
let server: RunningServer;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'serve-'));
  const staticDir = join(dir, 'static');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wb</title>');
  wb = openWorkbench({
    databasePath: join(dir, 'wb.db'),
    spawn: () => workerThreadChannel({ file: workerSource, typescript: true }),
    progressEveryMs: 20,
  });
  server = await startServer({ workbench: wb, staticDir });
});
afterAll(async () => {
  await server.close();
  await wb.close();
});

function http(
  path: string,
  o: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.origin}${path}`, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const call = (channel: string, args: unknown, token = server.token) =>
  http(`/api/${channel}`, {
    method: 'POST',
    body: wire.encode({ args }),
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });

describe('serve mode', () => {
  it('prints a 127.0.0.1 URL with the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('refuses API calls without the right token', async () => {
    expect((await call('runs:list', null, 'wrong')).status).toBe(401);
    expect((await http('/api/runs:list', { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('refuses another Host (DNS rebinding) and another Origin', async () => {
    expect((await http('/', { headers: { Host: 'evil.example:80' } })).status).toBe(421);
    const r = await http('/api/runs:list', {
      method: 'POST',
      body: '{"args":null}',
      headers: { Authorization: `Bearer ${server.token}`, Origin: 'http://evil.example' },
    });
    expect(r.status).toBe(403);
  });

  it('takes calls and the event socket from the page on localhost as well, on this port only', async () => {
    const from = (origin: string) =>
      http('/api/runs:list', {
        method: 'POST',
        body: '{"args":null}',
        headers: { Host: `localhost:${server.port}`, Origin: origin, Authorization: `Bearer ${server.token}` },
      });
    expect((await from(`http://localhost:${server.port}`)).status).toBe(200);
    expect((await from(`http://127.0.0.1:${server.port}`)).status).toBe(200);
    expect((await from(`http://localhost:${server.port + 1}`)).status).toBe(403);
    expect((await from(`https://localhost:${server.port}`)).status).toBe(403);
    const ws = new WebSocket(`ws://localhost:${server.port}/events?token=${server.token}`, { origin: `http://localhost:${server.port}` });
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    ws.close();
    expect((await http('/')).headers['content-security-policy']).toContain(`ws://localhost:${server.port}`);
  });

  it('answers a malformed URL with 400, and a missing token with how to get it', async () => {
    const api = await http('/api/%', { method: 'POST', body: '{}', headers: { Authorization: `Bearer ${server.token}` } });
    expect(api.status).toBe(400);
    expect(wire.decode(api.body)).toMatchObject({ ok: false, error: { code: 'bad-url' } });
    expect((await http('/%E0%A4%A')).status).toBe(400);
    const missing = wire.decode((await http('/api/runs:list', { method: 'POST', body: '{}' })).body);
    expect(missing).toMatchObject({
      error: { code: 'unauthorized', message: expect.stringContaining('open the URL that `rnn-workbench serve` printed') },
    });
  });

  it('refuses a body over the limit from its Content-Length, or as it streams past the limit, without reading on', async () => {
    const small = await startServer({ workbench: wb, staticDir: join(tmpdir()), maxBodyBytes: 1024 });
    const post = (headers: Record<string, string>, write: (req: ClientRequest) => void) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${small.origin}/api/runs:list`,
          { method: 'POST', headers: { Authorization: `Bearer ${small.token}`, ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', (e) =>
          (e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE' ? undefined : reject(e),
        );
        req.flushHeaders();
        write(req); // and never end it: only a server that stops reading answers
      });
    try {
      expect(await post({ 'Content-Length': String(10 * 1024 * 1024) }, () => undefined)).toBe(413);
      expect(
        await post({ 'Transfer-Encoding': 'chunked' }, (req) => {
          for (let i = 0; i < 4; i++) req.write('x'.repeat(512));
        }),
      ).toBe(413);
      expect(
        (
          await http('/api/runs:list', {
            method: 'POST',
            body: wire.encode({ args: null }),
            headers: { Authorization: `Bearer ${server.token}` },
          })
        ).status,
      ).toBe(200);
    } finally {
      await small.close();
    }
  }, 15_000);

  it('answers calls through the same handlers, with clear errors', async () => {
    const ok = await call('config:defaults', { task: 'adding' });
    expect(ok.status).toBe(200);
    expect((wire.decode(ok.body) as { value: { task: { kind: string } } }).value.task.kind).toBe('adding');
    const bad = wire.decode((await call('runs:get', { id: -1 })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(bad).toEqual({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/runs:get: id: /) } });
    expect((await call('runs:nope', null)).status).toBe(404);
    expect(
      (await http('/api/runs:list', { method: 'POST', body: 'not json', headers: { Authorization: `Bearer ${server.token}` } })).status,
    ).toBe(400);
  });

  it("carries a refused config's issues field by field, the task's data errors included", async () => {
    const schema = wire.decode((await call('config:check', { config: { training: { lr: 0 }, model: { hidden: 5000 } } })).body);
    expect(schema).toEqual({
      ok: false,
      error: {
        code: 'invalid-config',
        message: 'model.hidden: must be at most 4096\ntraining.lr: must be greater than 0',
        issues: [
          { path: 'model.hidden', message: 'must be at most 4096' },
          { path: 'training.lr', message: 'must be greater than 0' },
        ],
      },
    });
    const data = wire.decode((await call('config:check', { config: { task: { kind: 'csv', csv: 'a,b\n1\n' } } })).body);
    expect(data).toMatchObject({
      ok: false,
      error: { code: 'invalid-config', issues: [{ path: 'task.csv', message: expect.stringMatching(/^1 data row is too few/) }] },
    });
  });

  it('serves the renderer with a strict CSP and nothing outside its folder', async () => {
    const page = await http('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect((await http('/../secret.txt')).status).toBe(404);
    expect((await http('/%2e%2e/secret.txt')).status).toBe(404);
  });

  it('streams run events over the WebSocket, only with the token', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=wrong`);
    await expect(
      new Promise((res, rej) => {
        refused.on('open', res);
        refused.on('error', rej);
      }),
    ).rejects.toThrow(/401/);

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/events?token=${server.token}`);
    await new Promise((r) => ws.on('open', r));
    const events: { event: string; payload: { id: number; status?: string } }[] = [];
    const ended = new Promise<void>((resolve) =>
      ws.on('message', (m) => {
        const e = wire.decode(String(m)) as (typeof events)[number];
        events.push(e);
        if (e.event === 'runs:changed' && e.payload.status === 'completed') resolve();
      }),
    );
    const created = wire.decode(
      (
        await call('runs:create', {
          config: { task: { kind: 'sine', T: 10 }, model: { hidden: 4 }, training: { steps: 30 } },
          name: null,
          tags: [],
          notes: '',
          start: true,
        })
      ).body,
    ) as { ok: boolean; value: { id: number } };
    expect(created.ok).toBe(true);
    await ended;
    ws.close();
    expect(events.some((e) => e.event === 'runs:progress' && e.payload.id === created.value.id)).toBe(true);
    const weights = wire.decode((await call('snapshots:get', { id: created.value.id, step: 30 })).body) as {
      value: { weights: { W: { data: number[] } } };
    };
    expect(weights.value.weights.W.data).toHaveLength(16);
  });
});
