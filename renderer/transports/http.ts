// The serve-mode transport: calls are `POST /api/<channel>` with the token
// as a bearer header and `{"args": …}` as the body; the answer is the
// handler's Result as JSON. Events come on one WebSocket, reopened with
// backoff when it drops (listeners of `onReconnect` then resynchronise).
// Exports are downloads streamed from `GET /export` (the token in the query,
// as a link cannot send a header).

import type { ApiEvent, Result } from '../../common/contract';
import type { Transport } from './transport';
import { browserWire as wire } from '../../common/wire';

export interface HttpTransportOptions {
  /** The page's origin, e.g. http://127.0.0.1:4321. */
  origin: string;
  token: string | null;
  fetch?: typeof fetch;
  WebSocket?: new (url: string) => WebSocket;
}

type Listener = (payload: never) => void;

export interface HttpTransport extends Transport {
  onReconnect(listener: () => void): () => void;
  close(): void;
}

export function httpTransport(o: HttpTransportOptions): HttpTransport {
  const doFetch = o.fetch ?? fetch.bind(globalThis);
  const Socket = o.WebSocket ?? WebSocket;
  const listeners = new Map<ApiEvent, Set<Listener>>();
  const reconnectListeners = new Set<() => void>();
  let socket: WebSocket | null = null;
  let closed = false;
  let opened = false;
  let retryMs = 250;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const noToken = (): Result<never> => ({
    ok: false,
    error: { code: 'unauthorized', message: 'no access token: open the URL that `rnn-workbench serve` printed (it ends in ?token=…)' },
  });

  function connect(): void {
    if (closed || !o.token || socket) return;
    const ws = new Socket(`${o.origin.replace(/^http/, 'ws')}/events?token=${encodeURIComponent(o.token)}`);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      if (opened) for (const l of reconnectListeners) l();
      opened = true;
    };
    ws.onmessage = (m: MessageEvent) => {
      if (typeof m.data !== 'string') return;
      const msg = wire.decode(m.data) as { event?: ApiEvent; payload?: unknown };
      const set = msg.event ? listeners.get(msg.event) : undefined;
      if (set) for (const l of [...set]) (l as (p: unknown) => void)(msg.payload);
    };
    ws.onclose = () => {
      socket = null;
      if (closed) return;
      retryTimer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  }

  return {
    async call(channel, args) {
      if (!o.token) return noToken();
      let res: Response;
      try {
        res = await doFetch(`${o.origin}/api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${o.token}` },
          body: wire.encode({ args }),
        });
      } catch (e) {
        return {
          ok: false,
          error: { code: 'unreachable', message: `the workbench server did not answer (${e instanceof Error ? e.message : String(e)})` },
        };
      }
      const text = await res.text();
      try {
        return wire.decode(text) as Result<never>;
      } catch {
        return {
          ok: false,
          error: { code: `http-${res.status}`, message: `${channel}: the server answered ${res.status} ${res.statusText}` },
        };
      }
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      connect();
      return () => set.delete(listener as Listener);
    },
    exportUrl(request) {
      const query = new URLSearchParams({ token: o.token ?? '' });
      for (const [k, v] of Object.entries(request)) query.set(k, v === null ? '' : String(v));
      return `${o.origin}/export?${query}`;
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      socket?.close();
    },
  };
}
