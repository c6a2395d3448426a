import { describe, expect, it } from 'vitest';
import { createHandlers, invoke, type Services } from '../../../main/api/handlers';
import { guarded, IPC_CHANNELS, registerIpc, type Call } from '../../../main/electron/ipc';
import { APP_URL } from '../../../main/electron/renderer-files';

const app = { senderFrame: { url: 'app://workbench/index.html' } } as never;
const foreign = { senderFrame: { url: 'https://example.com/' } } as never;

describe('IPC handlers', () => {
  it('answer a call from another page with a refusal, without calling the handler', async () => {
    const calls: string[] = [];
    const call: Call = async (channel) => {
      calls.push(channel);
      return { ok: true, value: null };
    };
    await expect(guarded('runs:list', call, APP_URL)(foreign, null)).resolves.toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'runs:list: refused a call from https://example.com/' },
    });
    await expect(guarded('runs:list', call, APP_URL)({ senderFrame: null } as never, null)).resolves.toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(calls).toEqual([]);
    await expect(guarded('runs:list', call, APP_URL)(app, null)).resolves.toEqual({ ok: true, value: null });
    expect(calls).toEqual(['runs:list']);
  });

  it("validate the arguments against the channel's schema before any handler runs", async () => {
    // Empty services: a handler that ran would throw on them, so a clean 'invalid-argument' shows validation came first.
    const handlers = createHandlers({} as Services);
    const call: Call = (channel, args) => invoke(handlers, channel, args);
    const r = await guarded('runs:get', call, APP_URL)(app, { id: -1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    if (!r.ok) expect(r.error.message).toMatch(/^runs:get: id: /);
    const extra = await guarded('export:weights', call, APP_URL)(app, { id: 1, step: null, format: 'exe', dtype: 'float64' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    if (!extra.ok) expect(extra.error.message).toMatch(/format/);
  });

  it('are registered for every channel and removed again', () => {
    const registered = new Map<string, unknown>();
    const off = registerIpc(
      {
        handle: (channel: string, h: unknown) => void registered.set(channel, h),
        removeHandler: (channel: string) => void registered.delete(channel),
      } as never,
      async () => ({ ok: true, value: null }),
      APP_URL,
    );
    expect([...registered.keys()]).toEqual([...IPC_CHANNELS]);
    off();
    expect(registered.size).toBe(0);
  });
});
