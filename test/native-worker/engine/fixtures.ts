// Small random models and batches for the engine's tests.

import type { Activation } from '../../../common/contract';
import { newBatch, type Batch } from '../../../native-worker/engine/batch';
import { initParams, layoutOf, type Layout, type Shape } from '../../../native-worker/engine/params';
import { Rng } from '../../../native-worker/engine/prng';

export interface Case {
  name: string;
  shape: Shape;
  T: number;
  B: number;
  act: Activation;
  masked?: boolean;
  onehot?: boolean;
}

export function makeCase(c: Case, seed = 7): { layout: Layout; p: Float64Array; batch: Batch } {
  const rng = new Rng(seed);
  const layout = layoutOf(c.shape);
  const p = initParams(layout, 'float64', 'uniform', 1, rng) as Float64Array;
  // Biases start at zero; give them values so their gradients are exercised.
  for (const blk of layout.blocks)
    if (blk.name === 'b' || blk.name === 'c') for (let i = 0; i < blk.size; i++) p[blk.offset + i] = rng.range(-0.3, 0.3);
  const { m, n } = c.shape;
  const batch = newBatch(c.T, c.B, m, n, c.masked ?? false);
  for (let i = 0; i < batch.x.length; i++) batch.x[i] = rng.range(-1, 1);
  if (c.onehot) {
    batch.y.fill(0);
    for (let r = 0; r < c.T * c.B; r++) batch.y[r * n + rng.int(n)] = 1;
  } else {
    for (let i = 0; i < batch.y.length; i++) batch.y[i] = rng.range(-1, 1);
  }
  if (batch.mask) for (let r = 0; r < c.T * c.B; r++) batch.mask[r] = r % 3 === 1 ? 0 : 1;
  return { layout, p, batch };
}

export const shape = (m: number, d: number, n: number, biases = false): Shape => ({ m, d, n, hiddenBias: biases, outputBias: biases });
