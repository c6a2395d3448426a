// @vitest-environment happy-dom
// The comparison: configs fetched once per run, the metric and the wall
// clock for each run, the config rows that differ, and a metric switch.

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotInfo } from '../../../common/contract';
import { parseConfig } from '../../../native-worker/config';
import { COMPARE_POINTS, useCompareStore } from '../../../renderer/stores/compare';
import { installFakeApi, record, type FakeApi } from '../support/fake-api';

let api: FakeApi;
let snapshots: Record<number, SnapshotInfo[]> = {};
const snap = (step: number, baseLr: number): SnapshotInfo => ({ step, baseLr, createdAt: 0, bytes: 0 });
const configs: Record<number, ReturnType<typeof parseConfig>> = {
  1: parseConfig({}),
  2: parseConfig({ model: { hidden: 12 } }),
  3: parseConfig({ training: { lr: 0.03 } }),
};

beforeEach(() => {
  snapshots = {};
  setActivePinia(createPinia());
  api = installFakeApi({
    'runs:get': ({ id }) => record(id, configs[id]),
    'snapshots:list': ({ id }) => snapshots[id] ?? [],
    'metrics:series': ({ id, series }) => ({
      steps: [0, 10],
      values: series === 'wallMs' ? [0, 1000 * id] : [id, id / 2],
      downsampled: false,
      bucketSteps: 1,
    }),
  });
});

describe('the compare store', () => {
  it('loads each run once and shows only the fields that differ', async () => {
    const cmp = useCompareStore();
    await cmp.setRuns([1, 2]);
    expect(cmp.configRows.map((r) => r.path)).toEqual(['model.hidden']);
    await cmp.setRuns([1, 2, 3]);
    expect(cmp.configRows.map((r) => [r.path, r.values])).toEqual([
      ['model.hidden', [32, 12, 32]],
      ['training.lr', [0.003, 0.003, 0.03]],
    ]);
    expect(api.callsTo('runs:get')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    cmp.onlyDifferences = false;
    expect(cmp.configRows.length).toBeGreaterThan(20);
  });

  it('leads the config table with the engine when the runs were trained by different ones', async () => {
    api = installFakeApi({
      'runs:get': ({ id }) => ({ ...record(id, configs[id]), engineVersion: id === 2 ? '0.1.0 (wasm kernels)' : '0.1.0 (native kernels)' }),
      'snapshots:list': () => [],
    });
    const cmp = useCompareStore();
    await cmp.setRuns([1, 2]);
    expect(cmp.configRows.map((r) => [r.path, r.values])).toEqual([
      ['engine', ['0.1.0 (native kernels)', '0.1.0 (wasm kernels)']],
      ['model.hidden', [32, 12]],
    ]);
  });

  it("fetches the metric and the wall clock of every run at the chart's resolution", async () => {
    const cmp = useCompareStore();
    await cmp.setRuns([2, 3]);
    const asked = api.callsTo('metrics:series') as { id: number; series: string; maxPoints: number }[];
    expect(asked.map((a) => `${a.id}:${a.series}:${a.maxPoints}`).sort()).toEqual([
      `2:loss:${COMPARE_POINTS}`,
      `2:wallMs:${COMPARE_POINTS}`,
      `3:loss:${COMPARE_POINTS}`,
      `3:wallMs:${COMPARE_POINTS}`,
    ]);
    expect(cmp.series(3)?.points).toEqual([
      { x: 0, y: 3 },
      { x: 10, y: 1.5 },
    ]);
    expect(cmp.series(3)?.wallAt(5)).toBe(1500);
    expect(cmp.series(3)?.totalWallMs).toBe(3000);
    await cmp.setMetric('gradNorm.W');
    const again = api.callsTo('metrics:series') as { id: number; series: string }[];
    expect(
      again
        .filter((a) => a.series === 'gradNorm.W')
        .map((a) => a.id)
        .sort(),
    ).toEqual([2, 3]);
  });

  it('shows several metrics at once, each loaded once per run, the wall clock once per run', async () => {
    const cmp = useCompareStore();
    await cmp.setRuns([1, 2]);
    await cmp.setMetrics(['loss', 'gradNorm.W', 'spectralRadius']);
    const asked = (api.callsTo('metrics:series') as { id: number; series: string }[]).map((a) => `${a.id}:${a.series}`).sort();
    expect(asked).toEqual([
      '1:gradNorm.W',
      '1:loss',
      '1:spectralRadius',
      '1:wallMs',
      '2:gradNorm.W',
      '2:loss',
      '2:spectralRadius',
      '2:wallMs',
    ]);
    expect(cmp.series(2, 'spectralRadius')?.points.map((p) => p.y)).toEqual([2, 1]);
    await cmp.setMetric('gradNorm.W');
    expect(cmp.metrics).toEqual(['gradNorm.W', 'spectralRadius']);
  });

  it('groups runs by a field that differs, colouring each run by its group', async () => {
    const cmp = useCompareStore();
    await cmp.setRuns([1, 2, 3]);
    expect(cmp.groupFields).toEqual(['model.hidden', 'training.lr']);
    cmp.groupBy = 'training.lr';
    expect(cmp.groups).toEqual([
      { label: '0.003', ids: [1, 2] },
      { label: '0.03', ids: [3] },
    ]);
    expect(cmp.colorOf(2)).toBe(cmp.colorOf(1));
    expect(cmp.colorOf(3)).not.toBe(cmp.colorOf(1));
  });

  it('shows a learning rate changed live in the config table, so two runs of one config differ there', async () => {
    configs[4] = configs[1];
    snapshots[4] = [snap(100, 0.003), snap(120, 0.001), snap(200, 0.001)];
    const cmp = useCompareStore();
    await cmp.setRuns([1, 4]);
    expect(cmp.configRows.map((r) => [r.path, r.values])).toEqual([['training.lr', [0.003, '0.003 → 0.001 @120']]]);
  });
});
