// Test helpers: run an optimizer over a fixed list of gradients, and compare
// arrays element by element.

import { expect } from 'vitest';
import type { OptimizerConfig } from '../../../../common/contract';
import { createOptimizer } from '../../../../native-worker/engine/optim/optimizer';

/** θ after applying each gradient in turn, one row per step. */
export function trajectory(
  config: OptimizerConfig,
  theta0: number[],
  grads: number[][],
  lr: number,
  weightDecay = 0,
  mask?: Uint8Array,
): number[][] {
  const params = Float64Array.from(theta0);
  const opt = createOptimizer(config, params.length, weightDecay, mask);
  return grads.map((g) => {
    opt.step(params, Float64Array.from(g), lr);
    return Array.from(params);
  });
}

export function expectCloseArrays(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i], `index ${i}`).toBeCloseTo(expected[i], digits);
}
