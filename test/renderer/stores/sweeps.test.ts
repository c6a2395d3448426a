// The sweeps store: a sweep on screen follows its runs live (one reload a
// moment after a burst of changes to its runs, none for other runs), loads
// its best runs' curves best first, and acts on the sweep.

import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../../../common/contract';
import type { SweepDetail, SweepTrial } from '../../../common/sweep-contract';
import { RELOAD_MS, useSweepsStore } from '../../../renderer/stores/sweeps';
import { installFakeApi, type FakeApi } from '../support/fake-api';

const run = (id: number, best: number | null, tags = ['sweep 1']) =>
  ({ id, bestValidationLoss: best, tags, status: 'running' }) as RunSummary;
const trial = (n: number, r: RunSummary | null): SweepTrial => ({ trial: n, params: {}, seed: null, outcome: null, reason: null, run: r });
let detail: SweepDetail;
let api: FakeApi;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  setActivePinia(createPinia());
  detail = { id: 1, trialList: [trial(0, run(10, 0.3)), trial(1, run(11, 0.1)), trial(2, run(12, null)), trial(3, null)] } as SweepDetail;
  api = installFakeApi({
    'sweeps:get': () => detail,
    'sweeps:list': () => [],
    'sweeps:stop': () => detail,
    'metrics:series': ({ id }) => ({ steps: [25], values: [id / 100], downsampled: false, bucketSteps: 1 }),
  });
});
afterEach(() => vi.useRealTimers());

describe('the sweeps store', () => {
  it('loads the sweep and its best runs’ curves, best first', async () => {
    const s = useSweepsStore();
    await s.load(1);
    expect(s.ranked.map((t) => t.trial)).toEqual([1, 0]);
    expect(s.curves.map((c) => [c.trial, c.runId, c.points.values[0]])).toEqual([
      [1, 11, 0.11],
      [0, 10, 0.1],
    ]);
  });

  it('reloads once, a moment after its runs change, and never for other runs', async () => {
    const s = useSweepsStore();
    await s.load(1);
    const loads = () => api.callsTo('sweeps:get').length;
    api.emit('runs:changed', run(99, null, []));
    await vi.advanceTimersByTimeAsync(RELOAD_MS);
    expect(loads()).toBe(1);
    api.emit('runs:changed', run(10, 0.2));
    api.emit('runs:changed', run(13, null)); // a new run of the sweep, by its tag
    await vi.advanceTimersByTimeAsync(RELOAD_MS - 1);
    expect(loads()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await flushPromises();
    expect(loads()).toBe(2);
    s.close();
    api.emit('runs:changed', run(10, 0.2));
    await vi.advanceTimersByTimeAsync(RELOAD_MS);
    expect(loads()).toBe(2);
  });

  it('stops the sweep and shows what main answers', async () => {
    const s = useSweepsStore();
    await s.load(1);
    detail = { ...detail, runBy: null };
    await s.stop(1);
    expect(api.callsTo('sweeps:stop')).toEqual([{ id: 1 }]);
    expect(s.current?.runBy).toBeNull();
  });
});
