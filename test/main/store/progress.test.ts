import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../../common/contract';
import { StoreError } from '../../../main/store/errors';
import { Store } from '../../../main/store/store';
import { bits, config, makeCheckpoint, makeEval, makeSteps, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
let runId: number;
beforeEach(() => {
  tmp = tempDir();
  store = Store.open(tmp.file('progress.db'));
  runId = store.createRun({ name: 'p', config, appVersion: '0.1.0' }).id;
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof StoreError ? e.code : `not a StoreError: ${String(e)}`;
  }
  return undefined;
}

describe('appendProgress', () => {
  it('stores every step so that readSteps gives the same StepMetrics back', () => {
    const steps = makeSteps(1, 3000);
    for (let i = 0; i < steps.length; i += 500) store.appendProgress(runId, { steps: steps.slice(i, i + 500), evals: [], checkpoints: [] });
    expect(store.readSteps(runId, 1, 3000)).toEqual(steps);
    expect(store.readSteps(runId, 1020, 1030)).toEqual(steps.slice(1019, 1030));
    expect(store.getRun(runId)?.lastStep).toBe(3000);
  });

  it('keeps NaN, ±Infinity and -0 in step metrics exactly', () => {
    const steps = makeSteps(0, 4);
    steps[1].loss = Number.NaN;
    steps[2].loss = Number.POSITIVE_INFINITY;
    steps[3].gradNorm.W = -0;
    store.appendProgress(runId, { steps, evals: [], checkpoints: [] });
    const back = store.readSteps(runId, 0, 3);
    expect(bits(back.map((s) => s.loss))).toBe(bits(steps.map((s) => s.loss)));
    expect(Object.is(back[3].gradNorm.W, -0)).toBe(true);
  });

  it('keeps per-matrix series that only some steps have, as gaps', () => {
    const steps: StepMetrics[] = makeSteps(0, 6).map((s, i) => (i % 2 === 0 ? { ...s, gradNorm: { ...s.gradNorm, b: i } } : s));
    store.appendProgress(runId, { steps, evals: [], checkpoints: [] });
    expect(store.readSteps(runId, 0, 5)).toEqual(steps);
    expect(store.readSeries(runId, 'gradNorm.b', { maxPoints: 10 }).steps).toEqual([0, 2, 4]);
    expect(store.listSeries(runId)).toContain('gradNorm.b');
  });

  it('tracks lastStep and the best finite validation loss across batches', () => {
    store.appendProgress(runId, { steps: makeSteps(1, 10), evals: [makeEval(10, 0.8)], checkpoints: [] });
    store.appendProgress(runId, { steps: makeSteps(11, 10), evals: [makeEval(20, Number.NaN)], checkpoints: [] });
    store.appendProgress(runId, { steps: [], evals: [makeEval(25, 0.5)], checkpoints: [] });
    const run = store.getRun(runId);
    expect(run?.lastStep).toBe(20);
    expect(run?.bestValidationLoss).toBe(0.5);
    expect(store.listEvalSteps(runId)).toEqual([10, 20, 25]);
  });

  it('round-trips eval rows, probe floats and non-finite histogram bounds included', () => {
    const e = makeEval(10, 0.25);
    store.appendProgress(runId, { steps: [], evals: [e], checkpoints: [] });
    const back = store.evalAt(runId, 15);
    expect(back).toEqual(e);
    expect(Object.is(back?.probe.hidden[1], -0)).toBe(true);
    expect(back?.histograms.grads.W?.hi).toBe(Number.POSITIVE_INFINITY);
    expect(store.evalAt(runId, 9)).toBeNull();
  });

  it('leaves nothing of a batch that fails half-way through (duplicate eval step)', () => {
    store.appendProgress(runId, { steps: makeSteps(1, 700), evals: [makeEval(100, 0.9)], checkpoints: [makeCheckpoint(100)] });
    const before = { run: store.getRun(runId), steps: store.readSteps(runId, 1, 2000), snaps: store.listSnapshots(runId) };
    // Steps 701..1500 and an eval are written before the second eval collides with step 100.
    const batch = { steps: makeSteps(701, 800), evals: [makeEval(800, 0.1), makeEval(100, 0.2)], checkpoints: [] };
    expect(codeOf(() => store.appendProgress(runId, batch))).toBe('invalid-input');
    expect(store.getRun(runId)).toEqual(before.run);
    expect(store.readSteps(runId, 1, 2000)).toEqual(before.steps);
    expect(store.listEvalSteps(runId)).toEqual([100]);
    expect(store.listSnapshots(runId)).toEqual(before.snaps);
    // The series' partial last chunk was rewritten in the failed batch; it must be back as it was.
    expect(store.readSeries(runId, 'loss', { maxPoints: 10_000 }).steps).toHaveLength(700);
    store.appendProgress(runId, { steps: makeSteps(701, 800), evals: [], checkpoints: [] });
    expect(store.readSteps(runId, 1, 1500)).toEqual(makeSteps(1, 700).concat(makeSteps(701, 800)));
  });

  it('leaves nothing of a batch whose last checkpoint is non-finite', () => {
    const bad = makeCheckpoint(300);
    (bad.weights.W.data as Float64Array)[3] = Number.NaN;
    const batch = { steps: makeSteps(1, 300), evals: [makeEval(300, 0.3)], checkpoints: [makeCheckpoint(200), bad] };
    expect(codeOf(() => store.appendProgress(runId, batch))).toBe('non-finite-checkpoint');
    expect(store.getRun(runId)?.lastStep).toBeNull();
    expect(store.readSteps(runId, 0, 1000)).toEqual([]);
    expect(store.listEvalSteps(runId)).toEqual([]);
    expect(store.listSnapshots(runId)).toEqual([]);
  });

  it('refuses steps that do not increase past the last stored one, naming the index', () => {
    store.appendProgress(runId, { steps: makeSteps(1, 10), evals: [], checkpoints: [] });
    expect(() => store.appendProgress(runId, { steps: makeSteps(10, 2), evals: [], checkpoints: [] })).toThrow(/steps\[0\]\.step is 10/);
    const unordered = [...makeSteps(20, 2), ...makeSteps(15, 1)];
    expect(() => store.appendProgress(runId, { steps: unordered, evals: [], checkpoints: [] })).toThrow(/steps\[2\]\.step is 15/);
    const badField = makeSteps(30, 1).map((s) => ({ ...s, lr: 'fast' as unknown as number }));
    expect(() => store.appendProgress(runId, { steps: badField, evals: [], checkpoints: [] })).toThrow(/steps\[0\]\.lr is not a number/);
    expect(codeOf(() => store.appendProgress(424242, { steps: [], evals: [], checkpoints: [] }))).toBe('no-such-run');
    expect(store.getRun(runId)?.lastStep).toBe(10);
  });

  it('refuses an eval whose probe does not match its shape', () => {
    const e = makeEval(5, 0.5);
    e.probe.hidden.pop();
    expect(() => store.appendProgress(runId, { steps: [], evals: [e], checkpoints: [] })).toThrow(
      /evals\[0\]: probe\.hidden has 5 values, expected T×d = 6/,
    );
  });
});

describe('truncateAfter', () => {
  it('drops metrics, evals and snapshots after the step and recomputes lastStep and best loss', () => {
    const steps = makeSteps(1, 2500);
    store.appendProgress(runId, {
      steps,
      evals: [makeEval(1000, 0.5), makeEval(2000, 0.2)],
      checkpoints: [makeCheckpoint(1000), makeCheckpoint(2000)],
    });
    store.truncateAfter(runId, 1500);
    expect(store.readSteps(runId, 1, 2500)).toEqual(steps.slice(0, 1500));
    expect(store.listEvalSteps(runId)).toEqual([1000]);
    expect(store.listSnapshots(runId).map((s) => s.step)).toEqual([1000]);
    const run = store.getRun(runId);
    expect(run?.lastStep).toBe(1500);
    expect(run?.bestValidationLoss).toBe(0.5);
    const series = store.readSeries(runId, 'loss', { maxPoints: 8 });
    expect(Math.max(...series.steps)).toBe(1500);

    // Resuming appends straight after the cut, into the shortened chunk.
    const resumed = makeSteps(1501, 600, 2);
    store.appendProgress(runId, { steps: resumed, evals: [], checkpoints: [] });
    expect(store.readSteps(runId, 1, 2100)).toEqual(steps.slice(0, 1500).concat(resumed));
  });

  it('empties the run with step -1', () => {
    store.appendProgress(runId, { steps: makeSteps(0, 10), evals: [makeEval(5, 1)], checkpoints: [makeCheckpoint(5)] });
    store.truncateAfter(runId, -1);
    const run = store.getRun(runId);
    expect([run?.lastStep, run?.bestValidationLoss]).toEqual([null, null]);
    expect(store.readSteps(runId, 0, 100)).toEqual([]);
    expect(store.listSnapshots(runId)).toEqual([]);
  });
});

describe('atomically', () => {
  it('creates a run and writes its history all or nothing (the id counter included)', () => {
    const before = store.listRuns().map((r) => r.id);
    const bad = makeCheckpoint(5);
    (bad.weights.W.data as Float64Array)[0] = Number.NaN;
    expect(
      codeOf(() =>
        store.atomically(() => {
          const run = store.createRun({ name: 'half-imported', config, appVersion: '0.1.0' });
          store.appendProgress(run.id, { steps: makeSteps(1, 5), evals: [], checkpoints: [bad] });
        }),
      ),
    ).toBe('non-finite-checkpoint');
    expect(store.listRuns().map((r) => r.id)).toEqual(before);
    const next = store.createRun({ name: 'next', config, appVersion: '0.1.0' });
    expect(next.id).toBe(Math.max(...before) + 1);
  });
});
