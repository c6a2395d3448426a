import { describe, expect, it } from 'vitest';
import {
  continuesWindow,
  MIN_TRAIN_WINDOWS,
  minimumSeriesLength,
  splitSeries,
  trainWindowStart,
  validationWindowStart,
} from '../../../native-worker/tasks/windows';

describe('series windows', () => {
  it('holds out the last round(L·f) frames and fits whole windows in each part', () => {
    const split = splitSeries(100, 10, 0.25);
    expect(split).toEqual({ T: 10, trainLength: 75, trainWindows: 7, validationWindows: 2 });
  });

  it('training windows are consecutive, cycle, and never read a held-out frame', () => {
    const split = splitSeries(100, 10, 0.25);
    if (split === null) throw new Error('expected a split');
    expect([0, 1, 6, 7, 8].map((i) => trainWindowStart(split, i))).toEqual([0, 10, 60, 0, 10]);
    expect([0, 1, 6, 7, 8, 14].map((i) => continuesWindow(split, i))).toEqual([false, true, true, false, true, false]);
    // Last training window reads frames 60..70 (70 as the final target); held-out windows are 75..85 and 86..96.
    expect(trainWindowStart(split, 6) + split.T).toBeLessThan(split.trainLength);
    expect([0, 1].map((j) => validationWindowStart(split, j))).toEqual([75, 86]);
    expect(validationWindowStart(split, 1) + split.T).toBeLessThan(100);
  });

  it('finds the shortest acceptable series exactly', () => {
    for (const T of [1, 2, 3, 7, 20, 64]) {
      for (const f of [0.01, 0.1, 0.2, 1 / 3, 0.5, 0.75, 0.9, 0.99]) {
        let first = 1;
        while (splitSeries(first, T, f) === null) first++;
        expect(minimumSeriesLength(T, f), `T=${T} f=${f}`).toBe(first);
        expect(splitSeries(first, T, f)?.trainWindows).toBeGreaterThanOrEqual(MIN_TRAIN_WINDOWS);
      }
    }
  });
});
