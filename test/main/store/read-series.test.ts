import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../../common/contract';
import { Store } from '../../../main/store/store';
import { makeEval, makeSteps, tempDir } from './fixtures';
import { config } from './fixtures';

// One run with every awkward feature: batches of 500 (so chunks are
// rewritten), a gap in steps, NaN values, tall spikes both ways, and a
// partially filled last chunk (20_500 is 20 steps into its chunk).
const SPIKES = new Map([
  [3_333, 100],
  [7_777, -100],
  [12_000, 50],
  [17_001, -70],
  [20_499, 80],
]);
const NANS = [5, 4_000, 4_001, 19_999];
const PARTS: Array<[number, number]> = [
  [0, 15_000],
  [17_000, 20_500],
];

const raw = new Map<number, number>();
/** The keys of `raw` in increasing order (steps are only ever appended). */
const rawSteps: number[] = [];
let tmp: ReturnType<typeof tempDir>;
let store: Store;
let runId: number;

beforeAll(() => {
  tmp = tempDir();
  store = Store.open(tmp.file('series.db'));
  runId = store.createRun({ name: 's', config, appVersion: '0.1.0' }).id;
  for (const [from, to] of PARTS) {
    for (let first = from; first <= to; first += 500) {
      const steps: StepMetrics[] = makeSteps(first, Math.min(500, to - first + 1));
      for (const s of steps) {
        s.loss = SPIKES.get(s.step) ?? (NANS.includes(s.step) ? Number.NaN : s.loss);
        raw.set(s.step, s.loss);
        rawSteps.push(s.step);
      }
      store.appendProgress(runId, { steps, evals: [], checkpoints: [] });
    }
  }
});
afterAll(() => {
  store.close();
  tmp.cleanup();
});

/** Brute-force M4 over the raw points: first, min, max (first occurrence, NaN skipped) and last per bucket. */
function reference(from: number, to: number, width: number): { steps: number[]; values: number[] } {
  const buckets = new Map<number, number[]>();
  for (const step of rawSteps) {
    if (step < from || step > to) continue;
    const b = Math.floor(step / width);
    if (!buckets.has(b)) buckets.set(b, []);
    buckets.get(b)?.push(step);
  }
  const steps: number[] = [];
  for (const members of buckets.values()) {
    const picked = new Set([members[0], members[members.length - 1]]);
    const finite = members.filter((s) => !Number.isNaN(raw.get(s)));
    if (finite.length > 0) {
      picked.add(finite.reduce((a, s) => ((raw.get(s) as number) < (raw.get(a) as number) ? s : a)));
      picked.add(finite.reduce((a, s) => ((raw.get(s) as number) > (raw.get(a) as number) ? s : a)));
    }
    steps.push(...[...picked].sort((a, b) => a - b));
  }
  return { steps, values: steps.map((s) => raw.get(s) as number) };
}

function rawIn(from: number, to: number): { steps: number[]; values: number[] } {
  const steps = rawSteps.filter((s) => s >= from && s <= to);
  return { steps, values: steps.map((s) => raw.get(s) as number) };
}

describe('readSeries', () => {
  it('equals brute-force M4 for any range and budget, within the budget, keeping every spike', () => {
    const seen = { summaries: 0, values: 0, raw: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 21_000 }),
        fc.integer({ min: 0, max: 21_000 }),
        fc.integer({ min: 4, max: 3_000 }),
        (a, b, maxPoints) => {
          const from = Math.min(a, b);
          const to = Math.max(a, b);
          const got = store.readSeries(runId, 'loss', { from, to, maxPoints });
          expect(got.steps.length).toBeLessThanOrEqual(maxPoints);
          const want = got.downsampled ? reference(from, to, got.bucketSteps) : rawIn(from, to);
          expect(got.steps).toEqual(want.steps);
          expect(got.values).toEqual(want.values);
          // The range's extremes always survive; so does every spike once
          // buckets are narrower than the spacing between spikes (3,498
          // steps), as each is then the extreme of its own bucket.
          const finite = rawIn(from, to).values.filter((v) => !Number.isNaN(v));
          if (finite.length > 0) {
            expect(got.values).toContain(Math.min(...finite));
            expect(got.values).toContain(Math.max(...finite));
          }
          for (const [step, value] of SPIKES) {
            if (step >= from && step <= to && got.bucketSteps < 3_498) expect(got.values[got.steps.indexOf(step)]).toBe(value);
          }
          if (!got.downsampled) seen.raw++;
          else if (got.bucketSteps >= 1024) seen.summaries++;
          else seen.values++;
        },
      ),
      { numRuns: 300, seed: 20240601 },
    );
    // Both read paths and the raw path were exercised.
    expect(Math.min(seen.summaries, seen.values, seen.raw)).toBeGreaterThan(10);
  });

  it('keeps the global minimum and maximum over the whole run at 2,000 points and at 8', () => {
    for (const maxPoints of [2_000, 8]) {
      const got = store.readSeries(runId, 'loss', { maxPoints });
      expect(got.downsampled).toBe(true);
      expect(got.steps.length).toBeLessThanOrEqual(maxPoints);
      expect(Math.max(...got.values.filter((v) => !Number.isNaN(v)))).toBe(100);
      expect(Math.min(...got.values.filter((v) => !Number.isNaN(v)))).toBe(-100);
      expect(got.steps[0]).toBe(0);
      expect(got.steps[got.steps.length - 1]).toBe(20_500);
    }
  });

  it('returns all raw points of a range that fits, across the gap, and nothing inside the gap', () => {
    const got = store.readSeries(runId, 'loss', { from: 14_990, to: 17_010, maxPoints: 100 });
    expect(got).toEqual({ ...rawIn(14_990, 17_010), downsampled: false, bucketSteps: 1 });
    expect(got.steps).toHaveLength(22);
    expect(store.readSeries(runId, 'loss', { from: 15_500, to: 16_500, maxPoints: 100 }).steps).toEqual([]);
  });

  it('serves the partially filled last chunk, and sees values appended to it later', () => {
    const tail = store.readSeries(runId, 'loss', { from: 20_480, maxPoints: 100 });
    expect(tail.steps).toEqual(rawIn(20_480, 30_000).steps);
    const more = makeSteps(20_501, 10);
    more[4].loss = 1_000;
    store.appendProgress(runId, { steps: more, evals: [], checkpoints: [] });
    for (const s of more) {
      raw.set(s.step, s.loss);
      rawSteps.push(s.step);
    }
    const after = store.readSeries(runId, 'loss', { maxPoints: 40 });
    expect(after.values).toContain(1_000);
    expect(after.steps[after.steps.length - 1]).toBe(20_510);
  });

  it('reads the validation loss from eval rows, raw or downsampled', () => {
    const run = store.createRun({ name: 'evals', config, appVersion: '0.1.0' }).id;
    const evals = Array.from({ length: 300 }, (_, i) => makeEval(10 * (i + 1), i === 150 ? 9 : 1 / (i + 1)));
    store.appendProgress(run, { steps: [], evals, checkpoints: [] });
    const few = store.readSeries(run, 'validationLoss', { from: 10, to: 50, maxPoints: 100 });
    expect(few).toEqual({ steps: [10, 20, 30, 40, 50], values: [1, 1 / 2, 1 / 3, 1 / 4, 1 / 5], downsampled: false, bucketSteps: 1 });
    const all = store.readSeries(run, 'validationLoss', { maxPoints: 40 });
    expect(all.downsampled).toBe(true);
    expect(all.steps.length).toBeLessThanOrEqual(40);
    expect(all.values).toContain(9);
    expect(all.values).toContain(1 / 300);
  });

  it('reads an empty series of a fresh run as no points', () => {
    const run = store.createRun({ name: 'empty', config, appVersion: '0.1.0' }).id;
    expect(store.readSeries(run, 'gradNorm.W', { maxPoints: 10 })).toEqual({ steps: [], values: [], downsampled: false, bucketSteps: 1 });
  });

  it('refuses unknown series, budgets under 4 and reversed ranges', () => {
    expect(() => store.readSeries(runId, 'accuracy', { maxPoints: 10 })).toThrow(/unknown series 'accuracy'/);
    expect(() => store.readSeries(runId, 'loss', { maxPoints: 3 })).toThrow(/maxPoints \(3\) must be an integer of at least 4/);
    expect(() => store.readSeries(runId, 'loss', { from: 9, to: 3, maxPoints: 10 })).toThrow(/from \(9\) and to \(3\)/);
    expect(() => store.readSteps(runId, 0, 200_000)).toThrow(/at most 100000/);
  });
});
