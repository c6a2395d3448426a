// @vitest-environment happy-dom
// The runs store: the list kept current by main's events, actions, errors
// shown to the user, and deletion with an undo window.

import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UNDO_MS, useRunsStore } from '../../../renderer/stores/runs';
import { useNoticesStore } from '../../../renderer/stores/notices';
import { installFakeApi, Refused, summary, type FakeApi } from '../support/fake-api';

let api: FakeApi;
let deleted: number[];

beforeEach(() => {
  setActivePinia(createPinia());
  deleted = [];
  api = installFakeApi({
    'runs:list': () => [summary(2), summary(1)],
    'runs:delete': ({ id }) => {
      deleted.push(id);
      return null;
    },
    'runs:pause': ({ id }) => {
      throw new Refused('bad-state', `cannot pause run ${id}: it is completed, not training`);
    },
    'runs:stop': ({ id }) => summary(id, { status: 'stopped' }),
  });
});
afterEach(() => vi.useRealTimers());

describe('the runs store', () => {
  it('loads the list and follows changed, deleted and progress events', async () => {
    const runs = useRunsStore();
    await runs.refresh();
    expect(runs.runs.map((r) => r.id)).toEqual([2, 1]);
    api.emit('runs:changed', summary(3, { status: 'running', lastStep: null, bestValidationLoss: null }));
    api.emit('runs:changed', summary(1, { name: 'renamed' }));
    expect(runs.runs.map((r) => [r.id, r.name])).toEqual([
      [3, 'run 3'],
      [2, 'run 2'],
      [1, 'renamed'],
    ]);
    api.emit('runs:progress', {
      id: 3,
      steps: [{ step: 40 } as never, { step: 41 } as never],
      evals: [{ step: 40, validationLoss: 0.7 } as never],
    });
    expect(runs.byId.get(3)?.lastStep).toBe(41);
    expect(runs.byId.get(3)?.bestValidationLoss).toBe(0.7);
    expect(runs.byId.get(3)?.health).toBeNull();
    // the health of the newest evaluation that has one, as it streams in
    const exploding = { state: 'exploding', step: 42, since: 42, reasons: ['r'], remedy: 'clip' } as const;
    api.emit('runs:progress', {
      id: 3,
      steps: [],
      evals: [{ step: 42, validationLoss: 0.9, health: exploding } as never, { step: 43 } as never],
    });
    expect(runs.byId.get(3)?.health).toEqual(exploding);
    api.emit('runs:deleted', { id: 2 });
    expect(runs.runs.map((r) => r.id)).toEqual([3, 1]);
  });

  it("applies what an action returns, and shows the handler's message when one fails", async () => {
    const runs = useRunsStore();
    const notices = useNoticesStore();
    await runs.refresh();
    expect(await runs.stop(1)).toMatchObject({ status: 'stopped' });
    expect(runs.byId.get(1)?.status).toBe('stopped');
    expect(await runs.pause(2)).toBeUndefined();
    expect(notices.items.map((n) => [n.kind, n.text])).toEqual([['error', 'cannot pause run 2: it is completed, not training']]);
  });

  it('hides a deleted run at once, deletes it only after the undo window, and undo keeps it', async () => {
    vi.useFakeTimers();
    const runs = useRunsStore();
    const notices = useNoticesStore();
    await runs.refresh();
    runs.remove(1);
    runs.remove(2);
    expect(runs.runs).toEqual([]);
    const undo = notices.items.find((n) => n.text.includes('run 2'))!.action!;
    expect(undo.label).toBe('Undo');
    undo.run();
    expect(runs.runs.map((r) => r.id)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(UNDO_MS - 1);
    expect(deleted).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(deleted).toEqual([1]);
    expect(runs.all.map((r) => r.id)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(UNDO_MS * 2);
    expect(deleted).toEqual([1]);
  });

  it('sends pending deletions at once when the page goes away', async () => {
    vi.useFakeTimers();
    const runs = useRunsStore();
    await runs.refresh();
    runs.remove(2);
    runs.flushDeletes();
    await vi.advanceTimersByTimeAsync(0);
    expect(deleted).toEqual([2]);
  });

  it('reloads the list when the event stream comes back after a drop', async () => {
    const runs = useRunsStore();
    await runs.refresh();
    api.reconnect();
    await vi.waitFor(() => expect(api.callsTo('runs:list')).toHaveLength(2));
  });
});
