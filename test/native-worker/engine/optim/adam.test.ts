import { describe, it } from 'vitest';
import { expectCloseArrays, trajectory } from './steps';

describe('adam', () => {
  it('applies bias-corrected moments: θ ← θ − lr·m̂/(√v̂ + eps)', () => {
    // β1 = 0.5, β2 = 0.75, eps = 1, lr = 0.1
    // t = 1, g1 = [2, −4]: m = 0.5·g1 = [1, −2], v = 0.25·g1² = [1, 4]
    //   m̂ = m/0.5 = [2, −4], v̂ = v/0.25 = [4, 16], √v̂ + 1 = [3, 5]
    //   θ1 = [1 − 0.1·2/3, −2 + 0.1·4/5] = [0.933333…, −1.92]
    // t = 2, g2 = [−2, 4]: m = 0.5·[1, −2] + 0.5·[−2, 4] = [−0.5, 1]
    //   v = 0.75·[1, 4] + 0.25·[4, 16] = [1.75, 7]
    //   m̂ = m/(1 − 0.25) = [−2/3, 4/3], v̂ = v/(1 − 0.5625) = [4, 16], √v̂ + 1 = [3, 5]
    //   θ2 = [0.933333… + 0.1·(2/3)/3, −1.92 − 0.1·(4/3)/5] = [43/45, −1.946666…]
    const run = trajectory(
      { kind: 'adam', beta1: 0.5, beta2: 0.75, eps: 1 },
      [1, -2],
      [
        [2, -4],
        [-2, 4],
      ],
      0.1,
    );
    expectCloseArrays(run[0], [0.9333333333333333, -1.92]);
    expectCloseArrays(run[1], [43 / 45, -1.946666666666667]);
  });

  it('with the usual hyperparameters takes a first step of lr·g/(|g| + eps)', () => {
    // m̂ = g and √v̂ = |g| at t = 1 whatever β1, β2.
    const [t1] = trajectory({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, [1, -2, 3], [[0.5, -0.001, 0]], 0.01);
    expectCloseArrays(t1, [1 - (0.01 * 0.5) / (0.5 + 1e-8), -2 + (0.01 * 0.001) / (0.001 + 1e-8), 3], 14);
  });
});
