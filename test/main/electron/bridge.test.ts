import { describe, expect, it } from 'vitest';
import { API_CHANNELS, API_EVENTS, TRANSFER_CHANNELS } from '../../../main/api/channels';
import { createHandlers, type Services } from '../../../main/api/handlers';
import { createBridge, type IpcRendererLike } from '../../../main/electron/bridge';
import { IPC_CHANNELS } from '../../../main/electron/ipc';
import type { WorkbenchBridge as RendererBridge } from '../../../renderer/transports/transport';

type Forward = (event: unknown, payload: unknown) => void;

/** Records what the bridge does with ipcRenderer, and lets the test push events. */
function fakeIpc() {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, Forward[]>();
  const ipc: IpcRendererLike = {
    invoke: (channel, args) => {
      invoked.push([channel, args]);
      return Promise.resolve({ ok: true, value: channel });
    },
    on: (channel, l) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    removeListener: (channel, l) =>
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      ),
  };
  const emit = (channel: string, payload: unknown) => (listeners.get(channel) ?? []).forEach((l) => l({ sender: 'ipcRenderer' }, payload));
  return { ipc, invoked, listeners, emit };
}

describe('the preload bridge', () => {
  it('has one method per channel the handlers serve, and nothing else', () => {
    // createHandlers only closes over its services, so empty ones are enough to list its channels.
    const served = Object.keys(createHandlers({} as Services)).sort();
    expect([...API_CHANNELS, ...TRANSFER_CHANNELS].sort()).toEqual(served);
    expect([...IPC_CHANNELS].sort()).toEqual(served);
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge.api).sort()).toEqual(served);
  });

  it('forwards each call on its own channel with the arguments unchanged', async () => {
    const f = fakeIpc();
    // Typed as the bridge the renderer expects (renderer/transports/transport.ts): a mismatch does not compile.
    const bridge: RendererBridge = createBridge(f.ipc);
    const args = { id: 3, step: null, format: 'npz' as const, dtype: 'float32' as const };
    await expect(bridge.api['export:weights'](args)).resolves.toEqual({ ok: true, value: 'export:weights' });
    await bridge.api['app:info'](null);
    expect(f.invoked).toEqual([
      ['export:weights', args],
      ['app:info', null],
    ]);
  });

  it('passes only the payload to a listener, and its unsubscribe removes exactly that listener', () => {
    const f = fakeIpc();
    const bridge = createBridge(f.ipc);
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = bridge.events.on('runs:deleted', (p) => a.push(p));
    bridge.events.on('runs:deleted', (p) => b.push(p));
    f.emit('runs:deleted', { id: 1 });
    offA();
    f.emit('runs:deleted', { id: 2 });
    expect(a).toEqual([{ id: 1 }]);
    expect(b).toEqual([{ id: 1 }, { id: 2 }]);
    expect(f.listeners.get('runs:deleted')).toHaveLength(1);
  });

  it("listens only to the contract's events", () => {
    const bridge = createBridge(fakeIpc().ipc);
    for (const e of API_EVENTS) bridge.events.on(e, () => undefined)();
    expect(() => bridge.events.on('runs:start' as never, () => undefined)).toThrow(/no such event "runs:start"/);
  });
});
