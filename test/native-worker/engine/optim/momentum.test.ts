import { describe, it } from 'vitest';
import { expectCloseArrays, trajectory } from './steps';

const theta0 = [1, -2];
// The third gradient is zero: the velocity alone keeps θ moving.
const grads = [
  [0.5, -1],
  [1, 2],
  [0, 0],
];

describe('momentum', () => {
  it('classical: v ← μv + g, θ ← θ − lr·v', () => {
    // μ = 0.9, lr = 0.1
    // v1 = g1 = [0.5, −1]                              θ1 = [1 − 0.05, −2 + 0.1]       = [0.95, −1.9]
    // v2 = 0.9·[0.5, −1] + [1, 2] = [1.45, 1.1]        θ2 = [0.95 − 0.145, −1.9 − 0.11] = [0.805, −2.01]
    // v3 = 0.9·[1.45, 1.1] = [1.305, 0.99]             θ3 = [0.805 − 0.1305, −2.01 − 0.099] = [0.6745, −2.109]
    const run = trajectory({ kind: 'momentum', momentum: 0.9, nesterov: false }, theta0, grads, 0.1);
    expectCloseArrays(run[0], [0.95, -1.9]);
    expectCloseArrays(run[1], [0.805, -2.01]);
    expectCloseArrays(run[2], [0.6745, -2.109]);
  });

  it('Nesterov: θ ← θ − lr·(g + μv) with the updated v', () => {
    // v1 = [0.5, −1];    g1 + 0.9·v1 = [0.95, −1.9]       θ1 = [0.905, −1.81]
    // v2 = [1.45, 1.1];  g2 + 0.9·v2 = [2.305, 2.99]      θ2 = [0.905 − 0.2305, −1.81 − 0.299] = [0.6745, −2.109]
    // v3 = [1.305, 0.99]; 0 + 0.9·v3 = [1.1745, 0.891]    θ3 = [0.6745 − 0.11745, −2.109 − 0.0891] = [0.55705, −2.1981]
    const run = trajectory({ kind: 'momentum', momentum: 0.9, nesterov: true }, theta0, grads, 0.1);
    expectCloseArrays(run[0], [0.905, -1.81]);
    expectCloseArrays(run[1], [0.6745, -2.109]);
    expectCloseArrays(run[2], [0.55705, -2.1981]);
  });
});
