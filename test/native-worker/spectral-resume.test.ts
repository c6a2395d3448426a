// A run stopped at a snapshot and resumed from the store reports the same
// spectral-radius series as the uninterrupted run, bit for bit, where W is
// large enough (d > 16) for the warm-started Arnoldi estimate; a snapshot
// from before that state was kept still resumes, with a fresh estimate.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodConfig } from '../../common/contract';
import { Store } from '../../main/store/store';
import { parseConfig } from '../../native-worker/config';
import { Trainer } from '../../native-worker/trainer';
import { bits, tempDir } from '../main/store/fixtures';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(() => {
  tmp = tempDir();
  store = Store.open(tmp.file('spectral.db'));
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const configOf = (method: MethodConfig) =>
  parseConfig({
    seed: 11,
    task: { kind: 'sine', channels: 3, T: 10, validationSequences: 2 },
    model: { hidden: 32 },
    method,
    training: { steps: 24, lr: 0.05, optimizer: { kind: 'adam' }, spectralEvery: 1 },
  });

function series(trainer: Trainer): number[] {
  const out: number[] = [];
  while (!trainer.done) out.push(trainer.runStep().spectralRadius);
  return out;
}

describe('the spectral-radius estimate across a resume (d = 32)', () => {
  for (const method of [{ kind: 'bptt' }, { kind: 'rtrl-fast' }] as MethodConfig[]) {
    it(`${method.kind}: bit-identical to the uninterrupted run`, () => {
      const config = configOf(method);
      const uninterrupted = new Trainer(config);
      const whole = series(uninterrupted);
      const run = store.createRun({ name: 'r', config, appVersion: 'test' });
      const first = new Trainer(config);
      const before: number[] = [];
      for (let i = 0; i < 9; i++) before.push(first.runStep().spectralRadius);
      store.saveCheckpoint(run.id, first.checkpoint());
      const cp = store.latestCheckpoint(run.id)!;
      expect(cp.spectral?.start).toHaveLength(32);
      const resumed = new Trainer(config, cp);
      const after = series(resumed);
      expect(bits([...before, ...after])).toBe(bits(whole));
      expect(bits(resumed.params)).toBe(bits(uninterrupted.params));
    });
  }

  it('a snapshot without the estimate state resumes with a fresh estimate (same weights)', () => {
    const config = configOf({ kind: 'bptt' });
    const whole = new Trainer(config);
    const wholeSeries = series(whole);
    const first = new Trainer(config);
    for (let i = 0; i < 9; i++) first.runStep();
    const resumed = new Trainer(config, { ...first.checkpoint(), spectral: null });
    const after = series(resumed);
    expect(Array.from(resumed.params)).toEqual(Array.from(whole.params));
    after.forEach((r, i) => expect(r).toBeCloseTo(wholeSeries[9 + i], 2));
  });

  it('refuses a state that does not fit the model, naming it', () => {
    const config = configOf({ kind: 'bptt' });
    const cp = new Trainer(config).checkpoint();
    expect(() => new Trainer(config, { ...cp, spectral: { rng: [1, 2, 3, 4, Number.NaN], start: new Float64Array(5) } })).toThrow(
      /spectral state: the start direction must be 32 finite values, got 5/,
    );
    const small = parseConfig({ ...config, model: { hidden: 8 } });
    expect(() => new Trainer(small, { ...new Trainer(small).checkpoint(), spectral: { rng: [1, 2, 3, 4, 0], start: null } })).toThrow(
      /exact spectral radius/,
    );
  });
});
