import { describe, expect, it } from 'vitest';
import { lrAt, lrChanges } from '../../common/lr-changes';

const snap = (step: number, baseLr: number) => ({ step, baseLr });

describe('learning-rate changes read from snapshots', () => {
  it('keeps only the snapshots whose rate differs from the one before, in step order', () => {
    const snaps = [snap(300, 0.001), snap(100, 0.01), snap(120, 0.003), snap(200, 0.003), snap(250, 0.001)];
    expect(lrChanges(0.01, snaps)).toEqual([
      { step: 120, lr: 0.003 },
      { step: 250, lr: 0.001 },
    ]);
  });

  it('finds none when every snapshot has the config rate, and a change at the very first snapshot', () => {
    expect(lrChanges(0.01, [snap(100, 0.01), snap(200, 0.01)])).toEqual([]);
    expect(lrChanges(0.01, [snap(0, 0.5)])).toEqual([{ step: 0, lr: 0.5 }]);
  });

  it('gives the rate in force after a step', () => {
    const changes = lrChanges(0.01, [snap(120, 0.003), snap(250, 0.001)]);
    expect([0, 119, 120, 249, 250, 1000].map((s) => lrAt(0.01, changes, s))).toEqual([0.01, 0.01, 0.003, 0.003, 0.001, 0.001]);
  });
});
