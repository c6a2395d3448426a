import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../../common/contract';
import { StoreError } from '../../../main/store/errors';
import { Store } from '../../../main/store/store';
import { bits, config, makeCheckpoint, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
let runId: number;
beforeEach(() => {
  tmp = tempDir();
  store = Store.open(tmp.file('cp.db'), { now: () => 1_000 });
  runId = store.createRun({ name: 'cp', config, appVersion: '0.1.0' }).id;
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

function expectSameBits(got: Checkpoint | null, want: Checkpoint): void {
  expect(got).not.toBeNull();
  const g = got as Checkpoint;
  expect(g.step).toBe(want.step);
  expect(Object.is(g.baseLr, want.baseLr)).toBe(true);
  expect(Object.keys(g.weights).sort()).toEqual(Object.keys(want.weights).sort());
  for (const [name, m] of Object.entries(want.weights)) {
    const gm = g.weights[name as keyof typeof g.weights];
    expect({ name, rows: gm?.rows, cols: gm?.cols }).toEqual({ name, rows: m.rows, cols: m.cols });
    expect(gm?.data).toBeInstanceOf(Float64Array);
    expect(bits(gm?.data ?? [])).toBe(bits(m.data));
  }
  expect(g.optimizer.t).toBe(want.optimizer.t);
  expect(g.optimizer.buffers.map(bits)).toEqual(want.optimizer.buffers.map(bits));
  expect(bits(g.rng)).toBe(bits(want.rng));
  expect(g.carry === null ? null : bits(g.carry)).toBe(want.carry === null ? null : bits(want.carry));
  expect(g.spectral === null ? null : bits(g.spectral.rng)).toBe(want.spectral == null ? null : bits(want.spectral.rng));
  const start = (c: Checkpoint): string | null => (c.spectral?.start == null ? null : bits(c.spectral.start));
  expect(start(g)).toBe(start(want));
  if (g.spectral?.start) expect(g.spectral.start).toBeInstanceOf(Float64Array);
}

describe('checkpoints', () => {
  it('round-trip bit for bit, including -0, subnormals and extremes', () => {
    const cp = makeCheckpoint(100);
    store.appendProgress(runId, { steps: [], evals: [], checkpoints: [cp] });
    expectSameBits(store.latestCheckpoint(runId), cp);
    expect(Object.is((store.latestCheckpoint(runId)?.weights.W.data as Float64Array)[0], -0)).toBe(true);
  });

  it('keep the PRNG cached normal when it is NaN (empty) and a null carry', () => {
    const cp = { ...makeCheckpoint(5), rng: [9, 8, 7, 6, Number.NaN], carry: null };
    store.saveCheckpoint(runId, cp);
    const got = store.latestCheckpoint(runId);
    expectSameBits(got, cp);
    expect(Number.isNaN(got?.rng[4])).toBe(true);
  });

  it('keep the spectral estimate state with a NaN cached normal, without a start direction, or none at all', () => {
    const cp = makeCheckpoint(7);
    store.saveCheckpoint(runId, cp);
    expect(Number.isNaN(store.latestCheckpoint(runId)?.spectral?.rng[4])).toBe(true);
    const noStart = { ...makeCheckpoint(8), spectral: { rng: [1, 2, 3, 4, 0.5], start: null } };
    store.saveCheckpoint(runId, noStart);
    expectSameBits(store.latestCheckpoint(runId), noStart);
    // a checkpoint from before the state was kept (no field at all) reads back as null
    const { spectral: _dropped, ...older } = makeCheckpoint(9);
    store.saveCheckpoint(runId, older as Checkpoint);
    expect(store.latestCheckpoint(runId)?.spectral).toBeNull();
  });

  it('find the snapshot at or before a step, and list them with sizes', () => {
    for (const step of [100, 200, 300]) store.saveCheckpoint(runId, makeCheckpoint(step, step));
    expect(store.checkpointAt(runId, 99)).toBeNull();
    expect(store.checkpointAt(runId, 200)?.step).toBe(200);
    expectSameBits(store.checkpointAt(runId, 299), makeCheckpoint(200, 200));
    expect(store.latestCheckpoint(runId)?.step).toBe(300);
    const bytes = 8 * (6 + 9 + 6 + 2 + 23 + 23 + 0 + 4 + 3);
    expect(store.listSnapshots(runId)).toEqual(
      [100, 200, 300].map((step) => ({ step, createdAt: 1_000, bytes, baseLr: makeCheckpoint(step, step).baseLr })),
    );
  });

  it('replace a snapshot saved again at the same step', () => {
    store.saveCheckpoint(runId, makeCheckpoint(100, 1));
    const second = makeCheckpoint(100, 2);
    delete second.weights.c;
    store.saveCheckpoint(runId, second);
    expectSameBits(store.latestCheckpoint(runId), second);
    expect(store.listSnapshots(runId)).toHaveLength(1);
  });

  it.each([
    ['weights.W.data[4]', (cp: Checkpoint) => ((cp.weights.W.data as Float64Array)[4] = Number.NaN)],
    ['weights.V.data[0]', (cp: Checkpoint) => ((cp.weights.V.data as number[])[0] = Number.POSITIVE_INFINITY)],
    ['optimizer.buffers[1][7]', (cp: Checkpoint) => (cp.optimizer.buffers[1][7] = Number.NEGATIVE_INFINITY)],
    ['carry[2]', (cp: Checkpoint) => ((cp.carry as Float64Array)[2] = Number.NaN)],
    ['spectral.start[1]', (cp: Checkpoint) => ((cp.spectral?.start as Float64Array)[1] = Number.POSITIVE_INFINITY)],
    ['baseLr', (cp: Checkpoint) => (cp.baseLr = Number.NaN)],
  ])('refuse a checkpoint with a non-finite %s and store nothing', (where, spoil) => {
    const cp = makeCheckpoint(100);
    spoil(cp);
    let error: unknown;
    try {
      store.saveCheckpoint(runId, cp);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('non-finite-checkpoint');
    expect((error as StoreError).message).toContain(where);
    expect(store.listSnapshots(runId)).toEqual([]);
  });

  it('refuse malformed checkpoints naming the field', () => {
    const wrongShape = makeCheckpoint(1);
    wrongShape.weights.U = { rows: 2, cols: 2, data: new Float64Array(3) };
    expect(() => store.saveCheckpoint(runId, wrongShape)).toThrow(/weights\.U\.data must hold 2×2 = 4/);
    const full = makeCheckpoint(1);
    const { V: _dropped, ...withoutV } = full.weights;
    const noV = { ...full, weights: withoutV as Checkpoint['weights'] };
    expect(() => store.saveCheckpoint(runId, noV)).toThrow(/weights\.V is missing/);
    expect(() => store.saveCheckpoint(999, makeCheckpoint(1))).toThrow(/run 999 does not exist/);
  });
});
