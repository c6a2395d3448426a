import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../../native-worker/engine/optim/optimizer';
import { expectCloseArrays, trajectory } from './steps';

describe('sgd', () => {
  it('applies θ ← θ − lr·g', () => {
    // θ0 = [1, −2, 0.5], lr = 0.1
    // g1 = [0.5, −1, 0]  → θ1 = [1 − 0.05, −2 + 0.1, 0.5]      = [0.95, −1.9, 0.5]
    // g2 = [1, 2, −4]    → θ2 = [0.95 − 0.1, −1.9 − 0.2, 0.5 + 0.4] = [0.85, −2.1, 0.9]
    const [t1, t2] = trajectory(
      { kind: 'sgd' },
      [1, -2, 0.5],
      [
        [0.5, -1, 0],
        [1, 2, -4],
      ],
      0.1,
    );
    expectCloseArrays(t1, [0.95, -1.9, 0.5]);
    expectCloseArrays(t2, [0.85, -2.1, 0.9]);
  });

  it('has no buffers but counts its steps', () => {
    const opt = createOptimizer({ kind: 'sgd' }, 2, 0);
    opt.step(new Float64Array(2), new Float64Array(2), 0.1);
    opt.step(new Float64Array(2), new Float64Array(2), 0.1);
    expect(opt.getState()).toEqual({ t: 2, buffers: [] });
  });
});
