import { describe, it } from 'vitest';
import { expectCloseArrays, trajectory } from './steps';

describe('adagrad', () => {
  it('s ← s + g², θ ← θ − lr·g/(√s + eps)', () => {
    // lr = 0.1, eps = 1 (large so that it shows in the numbers); the third
    // component never gets a gradient and must not move (0/(0 + eps) = 0).
    // g1 = [3, −4, 0]: s = [9, 16, 0], √s + 1 = [4, 5, 1]
    //   θ1 = [1 − 0.1·3/4, −2 + 0.1·4/5, 0.5] = [0.925, −1.92, 0.5]
    // g2 = [4, 3, 0]: s = [25, 25, 0], √s + 1 = [6, 6, 1]
    //   θ2 = [0.925 − 0.1·4/6, −1.92 − 0.1·3/6, 0.5] = [0.858333…, −1.97, 0.5]
    const run = trajectory(
      { kind: 'adagrad', eps: 1 },
      [1, -2, 0.5],
      [
        [3, -4, 0],
        [4, 3, 0],
      ],
      0.1,
    );
    expectCloseArrays(run[0], [0.925, -1.92, 0.5]);
    expectCloseArrays(run[1], [0.8583333333333333, -1.97, 0.5]);
  });
});
