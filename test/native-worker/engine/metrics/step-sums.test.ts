// The per-matrix norms of a training step (gradNorm, weightNorm, updateRatio)
// against the same norms computed here from the weights before and after the
// step, for float64 (native kernels where built) and float32 runs.

import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../native-worker/config';
import { Trainer } from '../../../../native-worker/trainer';

const norm = (a: ArrayLike<number>, from: number, size: number, minus?: ArrayLike<number>) => {
  let s = 0;
  for (let i = from; i < from + size; i++) s += (a[i] - (minus ? minus[i] : 0)) ** 2;
  return Math.sqrt(s);
};

describe('step metrics: the per-matrix norms', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: are those of the weights before and after the step`, () => {
      const lr = 0.05;
      const t = new Trainer(
        parseConfig({
          seed: 9,
          dtype,
          task: { kind: 'sine', channels: 3, T: 20 },
          model: { hidden: 37, hiddenBias: true, outputBias: true },
          method: { kind: 'bptt' },
          training: { steps: 10, batchSize: 2, lr, optimizer: { kind: 'sgd' } },
        }),
      );
      const tol = dtype === 'float64' ? 1e-12 : 1e-6;
      for (let s = 0; s < 3; s++) {
        const before = Float64Array.from(t.params);
        const m = t.runStep();
        for (const blk of t.layout.blocks) {
          const k = blk.name;
          const w = norm(t.params, blk.offset, blk.size),
            u = norm(t.params, blk.offset, blk.size, before),
            b = norm(before, blk.offset, blk.size);
          expect(Math.abs(m.weightNorm[k]! / w - 1), `${k} weight`).toBeLessThanOrEqual(tol);
          if (b === 0)
            expect(m.updateRatio[k], `${k} update from zero`).toBe(Infinity); // biases start at 0
          else expect(Math.abs(m.updateRatio[k]! / (u / b) - 1), `${k} update`).toBeLessThanOrEqual(dtype === 'float64' ? 1e-9 : 1e-3);
          // plain SGD: the update is lr·g
          expect(Math.abs(m.gradNorm[k]! / (u / lr) - 1), `${k} gradient`).toBeLessThanOrEqual(dtype === 'float64' ? 1e-9 : 1e-2);
        }
      }
    });
  }
});
