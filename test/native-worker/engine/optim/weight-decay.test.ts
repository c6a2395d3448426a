import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../../native-worker/engine/optim/optimizer';
import { everyOptimizer } from './configs';
import { expectCloseArrays, trajectory } from './steps';

describe('decoupled weight decay', () => {
  it('shrinks θ by lr·wd·θ before the gradient step, only where the mask is 1', () => {
    // lr = 0.1, wd = 0.5, so decay multiplies θ by 1 − 0.05 = 0.95 where masked in.
    // θ0 = [1, −2, 0.5], mask = [1, 0, 1]: decayed = [0.95, −2, 0.475]
    // g = [0.5, −1, 0]: θ1 = [0.95 − 0.05, −2 + 0.1, 0.475] = [0.9, −1.9, 0.475]
    const [t1] = trajectory({ kind: 'sgd' }, [1, -2, 0.5], [[0.5, -1, 0]], 0.1, 0.5, Uint8Array.from([1, 0, 1]));
    expectCloseArrays(t1, [0.9, -1.9, 0.475]);
  });

  it('decays every entry when no mask is given', () => {
    // decayed = [0.95, −1.9, 0.475]; θ1 = [0.9, −1.8, 0.475]
    const [t1] = trajectory({ kind: 'sgd' }, [1, -2, 0.5], [[0.5, -1, 0]], 0.1, 0.5);
    expectCloseArrays(t1, [0.9, -1.8, 0.475]);
  });

  it('is AdamW for Adam: decay stays out of the moments', () => {
    // β1 = 0.5, β2 = 0.75, eps = 1, lr = 0.1, wd = 0.5, mask = [0, 1]
    // θ0 = [1, −2] decays to [1, −1.9]; the Adam step for g1 = [2, −4] is −0.1·[2/3, −4/5]
    // θ1 = [1 − 0.0666…, −1.9 + 0.08] = [0.933333…, −1.82]
    const config = { kind: 'adam', beta1: 0.5, beta2: 0.75, eps: 1 } as const;
    const mask = Uint8Array.from([0, 1]);
    const decayed = createOptimizer(config, 2, 0.5, mask);
    const plain = createOptimizer(config, 2, 0);
    const theta = Float64Array.from([1, -2]);
    decayed.step(theta, Float64Array.from([2, -4]), 0.1);
    plain.step(Float64Array.from([1, -2]), Float64Array.from([2, -4]), 0.1);
    expectCloseArrays(theta, [0.9333333333333333, -1.82]);
    expect(decayed.getState()).toEqual(plain.getState());
  });

  for (const { name, config } of everyOptimizer) {
    it(`${name}: with a zero gradient only the decay moves θ`, () => {
      const theta = Float64Array.from([1, -2, 4]);
      const opt = createOptimizer(config, 3, 0.1, Uint8Array.from([1, 1, 0]));
      opt.step(theta, new Float64Array(3), 0.5);
      opt.step(theta, new Float64Array(3), 0.5);
      // Two steps of θ ← θ − 0.05·θ: θ·0.95² = θ·0.9025; the masked-out entry stays.
      expectCloseArrays(theta, [0.9025, -1.805, 4], 14);
    });
  }

  it('rejects a mask of the wrong length or with values other than 0 and 1', () => {
    expect(() => createOptimizer({ kind: 'sgd' }, 3, 0.1, new Uint8Array(2))).toThrow(/weight decay mask has 2 entries, expected 3/);
    expect(() => createOptimizer({ kind: 'sgd' }, 3, 0.1, Uint8Array.from([1, 2, 0]))).toThrow(/mask\[1\] must be 0 or 1, got 2/);
  });

  it('copies the mask, so a later change to the caller’s array has no effect', () => {
    const mask = Uint8Array.from([1, 0]);
    const opt = createOptimizer({ kind: 'sgd' }, 2, 1, mask);
    mask[1] = 1;
    const theta = Float64Array.from([1, 1]);
    opt.step(theta, new Float64Array(2), 0.5);
    expectCloseArrays(theta, [0.5, 1]);
  });
});
