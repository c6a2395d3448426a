// Adagrad (Duchi, Hazan & Singer 2011) in PyTorch's formulation, without
// learning-rate decay and with a zero initial accumulator:
//   s ← s + g²
//   θ ← θ − lr·g / (√s + eps)

import type { OptimizerConfig } from '../../../common/contract';
import type { FloatArray } from '../tensor';
import { BufferedOptimizer } from './buffered-optimizer';
import { requirePositive } from './hyperparams';
import type { WeightDecay } from './weight-decay';

type AdagradConfig = Extract<OptimizerConfig, { kind: 'adagrad' }>;

export class Adagrad extends BufferedOptimizer {
  private readonly eps: number;

  constructor(config: AdagradConfig, size: number, decay: WeightDecay) {
    requirePositive('optimizer.eps', config.eps);
    super('adagrad', size, [{ name: 'sum', nonNegative: true }], decay);
    this.eps = config.eps;
  }

  protected override update(params: FloatArray, grads: Float64Array, lr: number): void {
    const s = this.buffers[0];
    const eps = this.eps;
    const n = params.length;
    for (let i = 0; i < n; i++) {
      const g = grads[i];
      const si = s[i] + g * g;
      s[i] = si;
      params[i] -= (lr * g) / (Math.sqrt(si) + eps);
    }
  }
}
