// @vitest-environment happy-dom
// Scrubbing snapshots: the latest is shown first, W's eigenvalues come from
// the evaluation at the snapshot's step or the nearest one before it, and
// scrubbing back is served from the cache.

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Weights } from '../../../common/contract';
import { nearestAtOrBefore, useSnapshotsStore } from '../../../renderer/stores/snapshots';
import { installFakeApi, type FakeApi } from '../support/fake-api';

const weights = (step: number): Weights => ({
  U: { rows: 1, cols: 1, data: [step] },
  W: { rows: 1, cols: 1, data: [step / 2] },
  V: { rows: 1, cols: 1, data: [1] },
});
let api: FakeApi;

beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi({
    'snapshots:list': () => [100, 200, 250].map((step) => ({ step, createdAt: step, bytes: 64, baseLr: 0.01 })),
    'metrics:eval-steps': () => [0, 100, 200],
    'snapshots:get': ({ step }) => ({ step, weights: weights(step) }),
    'metrics:eval': ({ step }) => ({
      step,
      validationLoss: 1,
      histograms: { weights: {}, grads: {} },
      probe: { T: 0, d: 0, n: 0, hidden: [], outputs: [], targets: [] },
      eigenvalues: [step / 1000, 0],
    }),
  });
});

describe('the snapshots store', () => {
  it('opens on the latest snapshot, with eigenvalues from the evaluation nearest before it', async () => {
    const snaps = useSnapshotsStore();
    await snaps.open(3);
    expect(snaps.index).toBe(2);
    expect(snaps.weights?.U.data).toEqual([250]);
    expect(snaps.spectrum).toEqual({ step: 200, values: [0.2, 0] });
    await snaps.select(0);
    expect(snaps.weights?.W.data).toEqual([50]);
    expect(snaps.spectrum).toEqual({ step: 100, values: [0.1, 0] });
  });

  it('serves a snapshot seen before from its cache and clamps the index', async () => {
    const snaps = useSnapshotsStore();
    await snaps.open(3);
    await snaps.select(1);
    const calls = api.callsTo('snapshots:get').length;
    await snaps.select(2);
    await snaps.select(99);
    expect(snaps.index).toBe(2);
    expect(api.callsTo('snapshots:get').length).toBe(calls);
  });

  it('finds the nearest step at or before', () => {
    expect(nearestAtOrBefore([0, 50, 100], 75)).toBe(50);
    expect(nearestAtOrBefore([0, 50, 100], 100)).toBe(100);
    expect(nearestAtOrBefore([10], 5)).toBeNull();
  });
});
