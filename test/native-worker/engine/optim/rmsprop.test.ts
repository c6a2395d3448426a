import { describe, it } from 'vitest';
import { expectCloseArrays, trajectory } from './steps';

describe('rmsprop', () => {
  it('v ← ρv + (1−ρ)g², θ ← θ − lr·g/(√v + eps)', () => {
    // ρ = 0.75, lr = 0.1, eps = 1
    // g1 = [2, −4]: v1 = 0.25·[4, 16] = [1, 4], √v + 1 = [2, 3]
    //   θ1 = [1 − 0.1·2/2, −2 + 0.1·4/3] = [0.9, −1.866666…]
    // g2 = [1, −2]: v2 = 0.75·[1, 4] + 0.25·[1, 4] = [1, 4], √v + 1 = [2, 3]
    //   θ2 = [0.9 − 0.1·1/2, −1.866666… + 0.1·2/3] = [0.85, −1.8]
    const run = trajectory(
      { kind: 'rmsprop', rho: 0.75, eps: 1 },
      [1, -2],
      [
        [2, -4],
        [1, -2],
      ],
      0.1,
    );
    expectCloseArrays(run[0], [0.9, -1.8666666666666667]);
    expectCloseArrays(run[1], [0.85, -1.8]);
  });
});
