// Config helpers of the form and the comparison: the config diff, deep
// merge of presets.

import { describe, expect, it } from 'vitest';
import { diffConfigs, flatten, showLeaf } from '../../common/config-leaves';
import { deepMerge } from '../../renderer/config/merge';
import { parseConfig } from '../../native-worker/config';

describe('diffConfigs', () => {
  it('finds exactly the fields that differ between configs', () => {
    const a = parseConfig({});
    const b = parseConfig({ model: { hidden: 12 }, training: { lr: 0.03 } });
    const rows = diffConfigs([a, b, a]);
    expect(rows.filter((r) => r.differs).map((r) => r.path)).toEqual(['model.hidden', 'training.lr']);
    expect(rows.length).toBe(Object.keys(flatten(a)).length);
  });

  it('shows a field one config lacks (another variant) as differing', () => {
    const a = parseConfig({ training: { optimizer: { kind: 'sgd' } } });
    const b = parseConfig({ training: { optimizer: { kind: 'momentum' } } });
    const rows = diffConfigs([a, b]).filter((r) => r.differs);
    expect(rows.map((r) => r.path)).toEqual(['training.optimizer.kind', 'training.optimizer.momentum', 'training.optimizer.nesterov']);
    expect(rows[1].values).toEqual([undefined, 0.9]);
    expect(showLeaf(undefined)).toBe('—');
    expect(showLeaf('x'.repeat(100))).toContain('(100 chars)');
  });
});

describe('deepMerge', () => {
  it('overrides leaves and keeps the rest', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2, 3] })).toEqual({ a: { b: 1, c: 3 }, d: [2, 3] });
  });
});
