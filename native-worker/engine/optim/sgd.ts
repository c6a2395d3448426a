// Plain stochastic gradient descent: θ ← θ − lr·g.

import type { FloatArray } from '../tensor';
import { BufferedOptimizer } from './buffered-optimizer';
import type { WeightDecay } from './weight-decay';

export class Sgd extends BufferedOptimizer {
  constructor(size: number, decay: WeightDecay) {
    super('sgd', size, [], decay);
  }

  protected override update(params: FloatArray, grads: Float64Array, lr: number): void {
    const n = params.length;
    for (let i = 0; i < n; i++) params[i] -= lr * grads[i];
  }
}
