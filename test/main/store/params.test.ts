import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../common/contract';
import { Store } from '../../../main/store/store';
import { config, tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(() => {
  tmp = tempDir();
  store = Store.open(tmp.file('params.db'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

describe('run parameters', () => {
  it("gives every run's config as dotted paths, datasets left out", () => {
    const a = store.createRun({ name: 'a', config, appVersion: '0' });
    const text: RunConfig = { ...config, task: { kind: 'text', text: 'the quick brown fox '.repeat(50), T: 20, validationFraction: 0.1 } };
    const b = store.createRun({ name: 'b', config: text, appVersion: '0' });
    const all = store.runParams(null);
    expect(all.map((p) => p.id)).toEqual([a.id, b.id]);
    expect(all[0].params).toMatchObject({ 'training.lr': 0.05, 'training.optimizer.kind': 'adam', 'model.hidden': 3, seed: 42 });
    expect(all[0].params['training.clipNorm']).toBeNull();
    expect(all[1].params['task.kind']).toBe('text');
    expect(Object.keys(all[1].params)).not.toContain('task.text');
    expect(store.runParams([b.id, 999])).toEqual([all[1]]);
  });
});
