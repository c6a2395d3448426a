import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunConfig } from '../../../common/contract';
import { defaultName, uniqueName } from '../../../main/runs/names';
import { Store } from '../../../main/store/store';
import { parseConfig } from '../../../native-worker/config';
import { tempDir } from '../store/fixtures';

const cfg = (extra: { lr?: number; seed?: number; optimizer?: string } = {}): RunConfig =>
  parseConfig({
    seed: extra.seed ?? 1,
    task: { kind: 'sine' },
    model: { hidden: 16 },
    method: { kind: 'bptt' },
    training: { lr: extra.lr ?? 0.01, optimizer: { kind: extra.optimizer ?? 'adam' } },
  });

describe('default run names', () => {
  it('is the task, method and size for the first run of its kind', () => {
    expect(uniqueName(cfg(), [])).toBe('sine · bptt · d=16');
  });

  it('adds the fields that set a run apart from the runs named alike', () => {
    const first = { name: 'sine · bptt · d=16', config: cfg() };
    expect(uniqueName(cfg({ lr: 0.03 }), [first])).toBe('sine · bptt · d=16 · lr=0.03');
    const second = { name: 'sine · bptt · d=16 · lr=0.03', config: cfg({ lr: 0.03 }) };
    expect(uniqueName(cfg({ lr: 0.03, seed: 2 }), [first, second])).toBe('sine · bptt · d=16 · lr=0.03 · seed=2');
    expect(uniqueName(cfg({ optimizer: 'sgd' }), [first, second])).toBe('sine · bptt · d=16 · lr=0.01');
  });

  it('counts when nothing sets the run apart: five runs of one config get five names', () => {
    const others: { name: string; config: RunConfig }[] = [];
    for (let i = 0; i < 5; i++) others.push({ name: uniqueName(cfg(), others), config: cfg() });
    expect(others.map((o) => o.name)).toEqual([
      'sine · bptt · d=16',
      'sine · bptt · d=16 (2)',
      'sine · bptt · d=16 (3)',
      'sine · bptt · d=16 (4)',
      'sine · bptt · d=16 (5)',
    ]);
  });

  describe('from the store', () => {
    let tmp: ReturnType<typeof tempDir>;
    let store: Store;
    beforeEach(() => {
      tmp = tempDir();
      store = Store.open(tmp.file('names.db'));
    });
    afterEach(() => {
      store.close();
      tmp.cleanup();
    });

    it('gives 2 learning rates × 3 seeds six different names, and leaves other tasks alone', () => {
      const create = (config: RunConfig) =>
        store.createRun({ name: defaultName(store, config), config, appVersion: '0', tags: [], notes: '' }).name;
      store.createRun({ name: 'copy · bptt · d=16', config: cfg(), appVersion: '0', tags: [], notes: '' });
      const names = [0.01, 0.03].flatMap((lr) => [1, 2, 3].map((seed) => create(cfg({ lr, seed }))));
      expect(new Set(names).size).toBe(6);
      expect(names).toEqual([
        'sine · bptt · d=16',
        'sine · bptt · d=16 · seed=2',
        'sine · bptt · d=16 · seed=3',
        'sine · bptt · d=16 · lr=0.03',
        'sine · bptt · d=16 · lr=0.03 · seed=2',
        'sine · bptt · d=16 · lr=0.03 · seed=3',
      ]);
    });
  });
});
