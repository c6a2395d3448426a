// @vitest-environment happy-dom
// The serve-mode transport: token handling, calls with the bearer token,
// refusal without it, and events over the WebSocket.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpTransport } from '../../renderer/transports/http';
import { takeToken } from '../../renderer/transports/token';

describe('the token', () => {
  function env(href: string) {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    return {
      replaced,
      store,
      env: {
        location: { href },
        history: { state: null, replaceState: (_d: unknown, _u: string, url?: string) => void replaced.push(url ?? '') },
        storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
      },
    };
  }

  it('is taken from the URL, kept for the tab, and removed from the address bar', () => {
    const e = env('http://127.0.0.1:4000/?token=abc123#/runs/4');
    expect(takeToken(e.env)).toBe('abc123');
    expect(e.replaced).toEqual(['/#/runs/4']);
    const reload = env('http://127.0.0.1:4000/#/runs/4');
    reload.store.set('rnn-workbench.token', 'abc123');
    expect(takeToken(reload.env)).toBe('abc123');
    expect(reload.replaced).toEqual([]);
  });

  it('is null when the page was opened without one', () => {
    expect(takeToken(env('http://127.0.0.1:4000/').env)).toBeNull();
  });
});

class FakeSocket {
  static last: FakeSocket | null = null;
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  close(): void {
    this.onclose?.();
  }
}

describe('the HTTP transport', () => {
  it('posts {args} with the bearer token and returns the Result', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true, value: { id: 3 } }), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    const t = httpTransport({ origin: 'http://127.0.0.1:9', token: 'tok', fetch, WebSocket: FakeSocket as unknown as typeof WebSocket });
    const r = await t.call('runs:get', { id: 3 });
    expect(r).toEqual({ ok: true, value: { id: 3 } });
    expect(seen[0].url).toBe('http://127.0.0.1:9/api/runs%3Aget');
    expect((seen[0].init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(JSON.parse(seen[0].init.body as string)).toEqual({ args: { id: 3 } });
  });

  it("passes on the server's refusal and refuses to call at all without a token", async () => {
    const fetch = (async () =>
      new Response('{"ok":false,"error":{"code":"unauthorized","message":"missing or wrong token"}}', {
        status: 401,
      })) as unknown as typeof globalThis.fetch;
    const t = httpTransport({ origin: 'http://127.0.0.1:9', token: 'bad', fetch });
    expect(await t.call('app:info', null)).toEqual({ ok: false, error: { code: 'unauthorized', message: 'missing or wrong token' } });
    let called = false;
    const none = httpTransport({
      origin: 'http://127.0.0.1:9',
      token: null,
      fetch: (async () => ((called = true), new Response('{}'))) as unknown as typeof globalThis.fetch,
    });
    const r = await none.call('app:info', null);
    expect(r.ok).toBe(false);
    expect(called).toBe(false);
  });

  it('points exports at GET /export with the token and the request in the query', () => {
    const t = httpTransport({ origin: 'http://127.0.0.1:4321', token: 'tok' });
    expect(t.exportUrl!({ kind: 'weights', id: 3, step: null, format: 'npz', dtype: 'float32' })).toBe(
      'http://127.0.0.1:4321/export?token=tok&kind=weights&id=3&step=&format=npz&dtype=float32',
    );
    expect(t.exportUrl!({ kind: 'archive', id: 12 })).toBe('http://127.0.0.1:4321/export?token=tok&kind=archive&id=12');
    t.close();
  });

  it('turns a page that is not JSON into an error naming the status', async () => {
    const fetch = (async () =>
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' })) as unknown as typeof globalThis.fetch;
    const r = await httpTransport({ origin: 'http://x', token: 't', fetch }).call('app:info', null);
    expect(r).toEqual({ ok: false, error: { code: 'http-502', message: 'app:info: the server answered 502 Bad Gateway' } });
  });

  afterEach(() => void vi.useRealTimers());

  it('delivers events from the socket to their listeners, and reconnects', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const t = httpTransport({ origin: 'http://127.0.0.1:9', token: 't k', WebSocket: FakeSocket as unknown as typeof WebSocket });
    const got: unknown[] = [];
    const off = t.on('runs:deleted', (p) => got.push(p));
    const ws = FakeSocket.last!;
    expect(ws.url).toBe('ws://127.0.0.1:9/events?token=t%20k');
    ws.onopen!();
    ws.onmessage!({ data: JSON.stringify({ event: 'runs:deleted', payload: { id: 4 } }) });
    ws.onmessage!({ data: JSON.stringify({ event: 'runs:changed', payload: { id: 5 } }) });
    expect(got).toEqual([{ id: 4 }]);
    let reconnected = 0;
    t.onReconnect(() => reconnected++);
    ws.onclose!();
    await vi.advanceTimersByTimeAsync(249);
    expect(FakeSocket.last).toBe(ws); // not before the retry delay (250 ms)
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeSocket.last).not.toBe(ws);
    FakeSocket.last!.onopen!();
    expect(reconnected).toBe(1);
    off();
    FakeSocket.last!.onmessage!({ data: JSON.stringify({ event: 'runs:deleted', payload: { id: 6 } }) });
    expect(got).toEqual([{ id: 4 }]);
    t.close();
  });
});
