// The trainer's fast paths: rtrl-fast trains exactly as rtrl does (the same
// gradient to rounding), float64 runs are bit-reproducible, and the cost
// estimate knows the O(d³) method.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../native-worker/config';
import { estimateCost } from '../../../../native-worker/estimate';
import { Trainer } from '../../../../native-worker/trainer';
import type { MethodConfig } from '../../../../common/contract';

function config(method: MethodConfig, extra: { hidden?: number; batchSize?: number; hiddenBias?: boolean } = {}) {
  return parseConfig({
    seed: 5,
    task: { kind: 'sine', channels: 3, T: 23, validationSequences: 1 },
    model: { hidden: extra.hidden ?? 7, hiddenBias: extra.hiddenBias ?? true, outputBias: true },
    method,
    training: { steps: 100, batchSize: method.kind === 'rtrl-online' ? 1 : (extra.batchSize ?? 2), lr: 0.05, optimizer: { kind: 'sgd' } },
  });
}

describe('rtrl-fast in the trainer', () => {
  it('follows the same trajectory as rtrl', () => {
    const naive = new Trainer(config({ kind: 'rtrl' }));
    const fast = new Trainer(config({ kind: 'rtrl-fast' }));
    for (let s = 0; s < 8; s++) {
      const a = naive.runStep(),
        b = fast.runStep();
      expect(Math.abs(b.loss - a.loss) / a.loss, `step ${s}`).toBeLessThanOrEqual(1e-10);
      expect(b.saturation).toBe(a.saturation);
      for (const k of ['U', 'W', 'V', 'b', 'c'] as const)
        expect(Math.abs(b.gradNorm[k]! - a.gradNorm[k]!) / a.gradNorm[k]!, `${k}, step ${s}`).toBeLessThanOrEqual(1e-9);
    }
    let diff = 0;
    for (let i = 0; i < naive.params.length; i++) diff = Math.max(diff, Math.abs(naive.params[i] - fast.params[i]));
    expect(diff).toBeLessThanOrEqual(1e-12);
  });

  it('is refused like rtrl when its sensitivities exceed rtrlMemoryLimit', () => {
    const c = { ...config({ kind: 'rtrl-fast' }, { hidden: 40 }), rtrlMemoryLimit: 100_000 };
    expect(() => new Trainer(c)).toThrow(/model\.hidden: exact RTRL with d = 40/);
  });

  it('says in the estimate which kernels float32 runs on: the native float32 ones for BPTT, the reference ones for RTRL', () => {
    expect(estimateCost(config({ kind: 'bptt' })).warnings).toEqual([]);
    for (const method of [{ kind: 'bptt' }, { kind: 'tbptt', k: 5 }] as MethodConfig[])
      expect(estimateCost({ ...config(method), dtype: 'float32' }).warnings).toEqual([
        expect.stringMatching(/float32 BPTT sums in single precision on the native kernels, faster than float64/),
      ]);
    expect(estimateCost({ ...config({ kind: 'rtrl-fast' }), dtype: 'float32' }).warnings).toEqual([
      expect.stringMatching(/float32 RTRL runs on the plain reference kernels, several times slower than the fast float64 paths/),
    ]);
  });

  it('costs O(d³) per step in the estimate where rtrl costs O(d⁴)', () => {
    const naive = estimateCost(config({ kind: 'rtrl' }, { hidden: 64 }));
    const fast = estimateCost(config({ kind: 'rtrl-fast' }, { hidden: 64 }));
    expect(fast.flopsPerStep * 10).toBeLessThan(naive.flopsPerStep);
    expect(fast.workingBytes).toBeGreaterThan(0);
    expect(fast.warnings).toEqual([]);
  });
});

describe('float64 training on the fast paths', () => {
  for (const method of [
    { kind: 'bptt' },
    { kind: 'tbptt', k: 5 },
    { kind: 'rtrl' },
    { kind: 'rtrl-fast' },
    { kind: 'rtrl-online' },
  ] as MethodConfig[]) {
    it(`${method.kind}: the same config and seed give the same bits, run to run`, () => {
      const runs = [0, 1].map(() => {
        const t = new Trainer(config(method));
        const out = Array.from({ length: 5 }, () => {
          const m = t.runStep();
          return [m.loss, m.spectralRadius, m.saturation, m.gradNorm.W, m.weightNorm.U];
        });
        return { out, params: Array.from(t.params) };
      });
      expect(runs[1]).toEqual(runs[0]);
    });
  }
});
