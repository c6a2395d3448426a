// Every gradient method learns: on the sine task the validation loss falls
// at least tenfold with SGD and with Adam (seeded, fixed step counts).

import { describe, expect, it } from 'vitest';
import type { MethodConfig, OptimizerConfig } from '../../common/contract';
import { parseConfig } from '../../native-worker/config';
import { Trainer } from '../../native-worker/trainer';

const methods: MethodConfig[] = [{ kind: 'rtrl' }, { kind: 'rtrl-online' }, { kind: 'bptt' }, { kind: 'tbptt', k: 5 }];
const optimizers: { kind: OptimizerConfig['kind']; lr: number; onlineLr: number }[] = [
  { kind: 'sgd', lr: 0.05, onlineLr: 0.02 },
  { kind: 'adam', lr: 0.01, onlineLr: 0.0003 },
];

describe('training on the sine task lowers validation loss tenfold', () => {
  for (const method of methods) {
    for (const opt of optimizers) {
      it(`${method.kind} with ${opt.kind}`, () => {
        const online = method.kind === 'rtrl-online';
        const trainer = new Trainer(
          parseConfig({
            seed: 3,
            task: { kind: 'sine', channels: 2, T: 20, validationSequences: 4 },
            model: { hidden: 8 },
            method,
            training: { steps: online ? 200 : 300, lr: online ? opt.onlineLr : opt.lr, optimizer: { kind: opt.kind }, evalEvery: 1000 },
          }),
        );
        const before = trainer.evaluate().validationLoss;
        while (!trainer.done) trainer.runStep();
        const after = trainer.evaluate().validationLoss;
        expect(before / after).toBeGreaterThanOrEqual(10);
      });
    }
  }

  it('exact RTRL and BPTT take identical steps (same gradient), online RTRL does not', () => {
    const run = (kind: MethodConfig['kind']) => {
      const t = new Trainer(
        parseConfig({
          seed: 5,
          task: { kind: 'sine', channels: 2, T: 10 },
          model: { hidden: 5 },
          method: { kind },
          training: { steps: 20, optimizer: { kind: 'sgd' }, lr: 0.05 },
        }),
      );
      while (!t.done) t.runStep();
      return Float64Array.from(t.params);
    };
    const rtrl = run('rtrl'),
      bptt = run('bptt'),
      online = run('rtrl-online');
    let maxDiff = 0,
      onlineDiff = 0;
    for (let i = 0; i < rtrl.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(rtrl[i] - bptt[i]));
      onlineDiff = Math.max(onlineDiff, Math.abs(rtrl[i] - online[i]));
    }
    expect(maxDiff).toBeLessThan(1e-12);
    expect(onlineDiff).toBeGreaterThan(1e-3);
  });
});

describe('trainer boundaries', () => {
  it('refuses exact RTRL over the memory limit, naming the size it would need', () => {
    const config = parseConfig({ model: { hidden: 256 }, task: { kind: 'sine', channels: 8 }, rtrlMemoryLimit: 64 * 1024 * 1024 });
    expect(() => new Trainer(config)).toThrow(/model\.hidden: exact RTRL with d = 256, m = 8 needs 264 MiB .* over the limit of 64 MiB/);
  });

  it('refuses cross-entropy on real-valued targets', () => {
    expect(() => new Trainer(parseConfig({ loss: { kind: 'xent' } }))).toThrow(/loss\.kind: xent needs one-hot targets/);
  });

  it('trains in float32 and stores float32 weights', () => {
    const t = new Trainer(
      parseConfig({
        dtype: 'float32',
        task: { kind: 'sine', channels: 2, T: 10 },
        model: { hidden: 4 },
        method: { kind: 'bptt' },
        training: { steps: 5 },
      }),
    );
    while (!t.done) t.runStep();
    expect(t.params).toBeInstanceOf(Float32Array);
    expect(t.evaluate().validationLoss).toBeGreaterThan(0);
  });

  it('resumes from a checkpoint bit for bit, for every method', () => {
    for (const kind of ['rtrl', 'rtrl-online', 'bptt', 'tbptt'] as const) {
      const config = parseConfig({
        seed: 9,
        task: { kind: 'sine', channels: 2, T: 8 },
        model: { hidden: 5, hiddenBias: true },
        method: { kind },
        training: { steps: 12, batchSize: kind === 'rtrl-online' ? 1 : 2, schedule: { kind: 'cosine', period: 12 } },
      });
      const whole = new Trainer(config);
      while (!whole.done) whole.runStep();
      const first = new Trainer(config);
      for (let i = 0; i < 5; i++) first.runStep();
      const resumed = new Trainer(config, first.checkpoint());
      while (!resumed.done) resumed.runStep();
      expect(Array.from(resumed.params), kind).toEqual(Array.from(whole.params));
    }
  });
});
