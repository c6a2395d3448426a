// RMSProp (Tieleman & Hinton 2012) in PyTorch's formulation (no momentum,
// not centered; eps outside the square root):
//   v ← ρ·v + (1 − ρ)·g²
//   θ ← θ − lr·g / (√v + eps)

import type { OptimizerConfig } from '../../../common/contract';
import type { FloatArray } from '../tensor';
import { BufferedOptimizer } from './buffered-optimizer';
import { requirePositive, requireRate } from './hyperparams';
import type { WeightDecay } from './weight-decay';

type RmsPropConfig = Extract<OptimizerConfig, { kind: 'rmsprop' }>;

export class RmsProp extends BufferedOptimizer {
  private readonly rho: number;
  private readonly eps: number;

  constructor(config: RmsPropConfig, size: number, decay: WeightDecay) {
    requireRate('optimizer.rho', config.rho);
    requirePositive('optimizer.eps', config.eps);
    super('rmsprop', size, [{ name: 'squareAvg', nonNegative: true }], decay);
    this.rho = config.rho;
    this.eps = config.eps;
  }

  protected override update(params: FloatArray, grads: Float64Array, lr: number): void {
    const v = this.buffers[0];
    const rho = this.rho;
    const eps = this.eps;
    const n = params.length;
    for (let i = 0; i < n; i++) {
      const g = grads[i];
      const vi = rho * v[i] + (1 - rho) * g * g;
      v[i] = vi;
      params[i] -= (lr * g) / (Math.sqrt(vi) + eps);
    }
  }
}
