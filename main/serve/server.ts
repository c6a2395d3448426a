// `serve` mode: the same API handlers as the desktop app, over HTTP and a
// WebSocket on 127.0.0.1, for a headless machine and for browser tests;
// exports stream from GET /export (export-route.ts).
// Every API request and the event socket need the random token printed
// with the URL; requests for another Host (DNS rebinding) or from another
// Origin are refused.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent, ApiEvents } from '../contract';
import { forwardEvents, PROGRESS_INTERVAL_MS } from '../api/event-forwarder';
import { invoke } from '../api/handlers';
import type { Workbench } from '../cli/workbench';
import { sendExport } from './export-route';
import { contentSecurityPolicy, serveStatic } from './static';
import { decodeJson, encodeJson } from './wire';

export interface ServerOptions {
  workbench: Workbench;
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** Largest request body (imports carry files). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const maxBody = o.maxBodyBytes ?? 256 * 1024 * 1024;
  let origin = '';
  let csp = '';
  const hosts = new Set<string>();
  const tokenOk = (given: string | null): boolean => {
    if (!given) return false;
    const a = Buffer.from(given), b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hosts.has(req.headers.host ?? '')) return send(res, 421, { ok: false, error: { code: 'bad-host', message: 'unexpected Host header' } });
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'method', message: 'API calls are POST' } });
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return send(res, 403, { ok: false, error: { code: 'bad-origin', message: 'cross-origin request refused' } });
      const auth = req.headers.authorization ?? '';
      if (!tokenOk(auth.startsWith('Bearer ') ? auth.slice(7) : null)) return send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong token' } });
      const body = await readBody(req, maxBody);
      if (body === null) return send(res, 413, { ok: false, error: { code: 'too-large', message: `request body over ${maxBody} bytes` } });
      let args: unknown;
      try {
        const parsed = body.length ? decodeJson(body) : {};
        args = typeof parsed === 'object' && parsed !== null && 'args' in parsed ? (parsed as { args: unknown }).args : undefined;
      } catch (e) {
        return send(res, 400, { ok: false, error: { code: 'bad-json', message: `request body is not JSON: ${(e as Error).message}` } });
      }
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      const result = await invoke(o.workbench.handlers, channel, args);
      return send(res, result.ok || result.error.code !== 'unknown-channel' ? 200 : 404, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'method', message: 'read-only' } });
    if (url.pathname === '/export') {
      if (!tokenOk(url.searchParams.get('token'))) return send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'missing or wrong token' } });
      return sendExport(o.workbench, url.searchParams, res, (status, body) => send(res, status, body));
    }
    return serveStatic(o.staticDir, url.pathname, res, csp);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    const ok = hosts.has(req.headers.host ?? '') && url.pathname === '/events' && tokenOk(url.searchParams.get('token'))
      && (req.headers.origin === undefined || req.headers.origin === origin);
    if (!ok) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws));
  });
  sockets.on('connection', (ws: WebSocket) => ws.on('message', () => ws.close(1008, 'events are one-way')));

  const broadcast = <K extends ApiEvent>(event: K, payload: ApiEvents[K]) => {
    if (sockets.clients.size === 0) return;
    const text = encodeJson({ event, payload });
    for (const c of sockets.clients) if (c.readyState === c.OPEN) c.send(text);
  };
  const stopForwarding = forwardEvents(o.workbench.manager, broadcast, PROGRESS_INTERVAL_MS);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  csp = contentSecurityPolicy(origin);
  hosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);
  return {
    url: `${origin}/?token=${token}`, origin, token, port,
    close: async () => {
      stopForwarding();
      for (const c of sockets.clients) c.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = encodeJson(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0, over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
