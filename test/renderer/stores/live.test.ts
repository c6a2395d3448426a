// @vitest-environment happy-dom
// The live store: the stored history first (downsampled, asked for at the
// chart's resolution), then streamed batches, with no lost or doubled
// points around the load, and a reload when the run restarts earlier.

import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvalMetrics, SeriesPoints, StepMetrics } from '../../../common/contract';
import { parseConfig } from '../../../native-worker/config';
import { SERIES_BUDGET, useLiveStore } from '../../../renderer/stores/live';
import { installFakeApi, record, type FakeApi } from '../support/fake-api';

const step = (s: number, loss = 1 / (s + 1)): StepMetrics => ({
  step: s,
  loss,
  lr: 0.01,
  gradNorm: { U: 1, W: 2, V: 3 },
  weightNorm: { U: 1, W: 1, V: 1 },
  updateRatio: { U: 1e-3, W: 2e-3, V: 3e-3 },
  spectralRadius: 0.9,
  saturation: 0,
  timestepsPerSec: 1000,
  wallMs: s * 10,
});
const evalAt = (s: number): EvalMetrics => ({
  step: s,
  validationLoss: 0.5,
  histograms: { weights: {}, grads: {} },
  probe: { T: 1, d: 1, n: 1, hidden: [0], outputs: [0], targets: [0] },
  eigenvalues: [0.5, 0],
});

let api: FakeApi;
let release: () => void;

beforeEach(() => {
  setActivePinia(createPinia());
  let gate = Promise.resolve();
  release = () => {};
  api = installFakeApi({
    'runs:get': ({ id }) => record(id, parseConfig({ model: { hidden: 4 } }), { status: 'running' }),
    'metrics:series': async ({ series }): Promise<SeriesPoints> => {
      await gate;
      return series === 'validationLoss'
        ? { steps: [0], values: [0.9], downsampled: false, bucketSteps: 1 }
        : { steps: [0, 1, 2], values: [3, 2, 1], downsampled: false, bucketSteps: 1 };
    },
    'metrics:eval-steps': () => [0],
    'metrics:eval': ({ step: s }) => evalAt(s),
  });
  api.emit('runs:changed', record(0) as never);
  gate = new Promise<void>((r) => (release = r));
});

describe('the live store', () => {
  it("loads every series at the chart's resolution, then appends streamed steps after the load", async () => {
    const live = useLiveStore();
    const opening = live.open(7);
    // A batch that arrives while the history is loading: it overlaps the stored steps.
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    api.emit('runs:progress', { id: 7, steps: [step(2), step(3), step(4)], evals: [] });
    release();
    await opening;
    const asked = api.callsTo('metrics:series') as { series: string; maxPoints: number }[];
    expect(asked.map((a) => a.series)).toContain('gradNorm.W');
    expect(asked.every((a) => a.maxPoints === SERIES_BUDGET)).toBe(true);
    expect(live.series('loss')!.points.map((p) => p.x)).toEqual([0, 1, 2, 3, 4]);

    const before = live.tick;
    api.emit('runs:progress', { id: 7, steps: [step(5), step(6)], evals: [evalAt(6)] });
    api.emit('runs:progress', { id: 8, steps: [step(7)], evals: [] });
    expect(live.tick).toBe(before + 1);
    expect(live.series('loss')!.last).toEqual({ x: 6, y: 1 / 7 });
    expect(live.series('gradNorm.V')!.last).toEqual({ x: 6, y: 3 });
    expect(live.series('validationLoss')!.points.map((p) => p.x)).toEqual([0, 6]);
    await vi.waitFor(() => expect(live.latestEval?.step).toBe(6));
    expect(live.evalHistory().map((e) => e.step)).toEqual([0, 6]);
  });

  it('reloads the history when an ended run is resumed (it restarts from its latest snapshot)', async () => {
    const live = useLiveStore();
    release();
    await live.open(7);
    const loads = api.callsTo('runs:get').length;
    api.emit('runs:changed', record(7, undefined, { status: 'paused' }) as never);
    api.emit('runs:changed', record(7, undefined, { status: 'running' }) as never);
    expect(api.callsTo('runs:get').length).toBe(loads);
    api.emit('runs:changed', record(7, undefined, { status: 'stopped' }) as never);
    api.emit('runs:changed', record(7, undefined, { status: 'queued' }) as never);
    await new Promise((r) => setTimeout(r, 0));
    expect(api.callsTo('runs:get').length).toBe(loads + 1);
  });

  it('forgets the run on close and ignores its later batches', async () => {
    const live = useLiveStore();
    release();
    await live.open(7);
    live.close();
    api.emit('runs:progress', { id: 7, steps: [step(9)], evals: [] });
    expect(live.series('loss')).toBeNull();
    expect(live.runId).toBeNull();
  });

  it('keeps only the measured steps of ρ(W) (training.spectralEvery), stored and streamed, NaN or the null JSON makes of it', async () => {
    api = installFakeApi({
      'runs:get': ({ id }) => record(id, parseConfig({ model: { hidden: 4 } }), { status: 'running' }),
      'metrics:series': ({ series }): SeriesPoints => ({
        steps: [0, 1, 2, 3],
        values: series === 'spectralRadius' || series === 'loss' ? [Number.NaN, 0.8, Number.NaN, 0.85] : [3, 2, 1, 0],
        downsampled: true,
        bucketSteps: 1,
      }),
      'metrics:eval-steps': () => [],
      'metrics:eval': ({ step: s }) => evalAt(s),
    });
    const live = useLiveStore();
    await live.open(7);
    const sparse = (s: number, rho: number): StepMetrics => ({ ...step(s), spectralRadius: rho });
    api.emit('runs:progress', { id: 7, steps: [sparse(4, Number.NaN), sparse(5, 0.9), sparse(6, null as never)], evals: [] });
    expect(live.series('spectralRadius')!.points).toEqual([
      { x: 1, y: 0.8 },
      { x: 3, y: 0.85 },
      { x: 5, y: 0.9 },
    ]);
    expect(live.series('loss')!.points.map((p) => p.x)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
