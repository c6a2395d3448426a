// `serve` mode: the same API handlers as the desktop app, over HTTP and a
// WebSocket on 127.0.0.1, for a headless machine and for browser tests;
// exports stream from GET /export (export-route.ts).
// Every API request and the event socket need the random token printed
// with the URL; requests for another Host (DNS rebinding) or from another
// Origin (anything but this port on 127.0.0.1 or localhost) are refused.
// Request bodies are bounded: one over the limit is refused from its
// Content-Length, or as soon as it passes the limit, without reading on.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent, ApiEvents } from '../../common/contract';
import { forwardEvents, PROGRESS_INTERVAL_MS } from '../api/event-forwarder';
import { invoke } from '../api/handlers';
import type { Workbench } from '../workbench';
import { sendExport } from './export-route';
import { contentSecurityPolicy, serveStatic } from './static';
import { wire } from './wire';

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
  const origins = new Set<string>();
  const originOk = (given: string | undefined) => given === undefined || origins.has(given);
  const tokenOk = (given: string | null): boolean => {
    if (!given) return false;
    const a = Buffer.from(given),
      b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hosts.has(req.headers.host ?? ''))
      return send(res, 421, { ok: false, error: { code: 'bad-host', message: 'unexpected Host header' } });
    const url = requestUrl(req, origin);
    if (url === null)
      return send(res, 400, { ok: false, error: { code: 'bad-url', message: `malformed URL: ${JSON.stringify(req.url)}` } });
    if (url.path.startsWith('/api/')) {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'method', message: 'API calls are POST' } });
      if (!originOk(req.headers.origin))
        return send(res, 403, { ok: false, error: { code: 'bad-origin', message: 'cross-origin request refused' } });
      const auth = req.headers.authorization ?? '';
      if (!tokenOk(auth.startsWith('Bearer ') ? auth.slice(7) : null))
        return send(res, 401, { ok: false, error: { code: 'unauthorized', message: WRONG_TOKEN } });
      const body = await readBody(req, maxBody);
      if (body === null) {
        res.once('finish', () => req.destroy()); // no reading the rest of it
        return send(
          res,
          413,
          { ok: false, error: { code: 'too-large', message: `request body over ${maxBody} bytes` } },
          { Connection: 'close' },
        );
      }
      let args: unknown;
      try {
        const parsed = body.length ? wire.decode(body) : {};
        args = typeof parsed === 'object' && parsed !== null && 'args' in parsed ? (parsed as { args: unknown }).args : undefined;
      } catch (e) {
        return send(res, 400, { ok: false, error: { code: 'bad-json', message: `request body is not JSON: ${(e as Error).message}` } });
      }
      const channel = url.path.slice('/api/'.length);
      const result = await invoke(o.workbench.handlers, channel, args);
      return send(res, result.ok || result.error.code !== 'unknown-channel' ? 200 : 404, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, { ok: false, error: { code: 'method', message: 'read-only' } });
    if (url.path === '/export') {
      if (!tokenOk(url.query.get('token'))) return send(res, 401, { ok: false, error: { code: 'unauthorized', message: WRONG_TOKEN } });
      return sendExport(o.workbench, url.query, res, (status, body) => send(res, status, body));
    }
    return serveStatic(o.staticDir, url.path, res, csp);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = requestUrl(req, origin);
    const ok =
      url !== null &&
      hosts.has(req.headers.host ?? '') &&
      url.path === '/events' &&
      tokenOk(url.query.get('token')) &&
      originOk(req.headers.origin);
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
    const text = wire.encode({ event, payload });
    for (const c of sockets.clients) if (c.readyState === c.OPEN) c.send(text);
  };
  const stopForwarding = forwardEvents(o.workbench.manager, broadcast, PROGRESS_INTERVAL_MS);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    hosts.add(host);
    origins.add(`http://${host}`);
  }
  csp = contentSecurityPolicy([...origins]);
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    close: async () => {
      stopForwarding();
      for (const c of sockets.clients) c.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const WRONG_TOKEN = 'missing or wrong access token: open the URL that `rnn-workbench serve` printed (it ends in ?token=…)';

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = wire.encode(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** The request's path, percent-decoded, and its query; null when the URL cannot be parsed or decoded. */
function requestUrl(req: IncomingMessage, origin: string): { path: string; query: URLSearchParams } | null {
  try {
    const url = new URL(req.url ?? '/', origin);
    return { path: decodeURIComponent(url.pathname), query: url.searchParams };
  } catch {
    return null;
  }
}

/**
 * The body as text, or null once it is over `limit` bytes (by its
 * Content-Length, before reading any of it, or while it streams in). A
 * declared length is read into one buffer of that size rather than a heap
 * of small chunks, which the allocator would keep after the request.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
  if (declared !== null && declared > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const whole = declared === null ? null : Buffer.allocUnsafe(declared);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      if (size + c.length > limit || (whole !== null && size + c.length > whole.length)) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      if (whole) c.copy(whole, size);
      else chunks.push(c);
      size += c.length;
    };
    req.on('data', onData);
    req.on('end', () => resolve((whole ? whole.subarray(0, size) : Buffer.concat(chunks)).toString('utf8')));
    req.on('error', reject);
  });
}
