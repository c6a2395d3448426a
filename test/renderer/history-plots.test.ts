import { describe, expect, it } from 'vitest';
import type { Leaf } from '../../common/config-leaves';
import { defaultAxes, paramRows, varyingPaths } from '../../renderer/history/plots';
import { summary } from './support/fake-api';

const params = new Map<number, Record<string, Leaf>>([
  [1, { 'training.lr': 0.01, seed: 1, 'model.hidden': 8, 'task.kind': 'sine', 'model.hiddenBias': false }],
  [2, { 'training.lr': 0.03, seed: 2, 'model.hidden': 8, 'task.kind': 'sine', 'model.hiddenBias': true }],
  [3, { 'training.lr': 0.01, seed: 3, 'model.hidden': 8, 'task.kind': 'sine', 'model.hiddenBias': false, 'method.k': 5 }],
]);

describe('the history-wide plots', () => {
  it('offers the fields that vary between the runs, the telling ones first', () => {
    expect(varyingPaths([1, 2, 3], params)).toEqual(['training.lr', 'seed', 'model.hiddenBias']);
    expect(varyingPaths([1, 3], params)).toEqual(['seed']);
    expect(defaultAxes(varyingPaths([1, 2, 3], params), 2)).toEqual(['training.lr', 'model.hiddenBias']);
    expect(defaultAxes(['seed', 'training.lr'])).toEqual(['seed', 'training.lr']);
  });

  it('gives each run its values on the chosen fields and its best validation loss, booleans as text', () => {
    const runs = [summary(1, { bestValidationLoss: 0.2 }), summary(2, { bestValidationLoss: null }), summary(4)];
    expect(paramRows(runs, params, ['training.lr', 'model.hiddenBias', 'method.k'])).toEqual([
      { runId: 1, params: { 'training.lr': 0.01, 'model.hiddenBias': 'false' }, metric: 0.2, label: '#1 run 1' },
      { runId: 2, params: { 'training.lr': 0.03, 'model.hiddenBias': 'true' }, metric: null, label: '#2 run 2' },
      { runId: 4, params: {}, metric: 0.5, label: '#4 run 4' },
    ]);
  });
});
