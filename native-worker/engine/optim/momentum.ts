// Heavy-ball momentum in PyTorch's formulation (no dampening):
//   v ← μ·v + g
//   θ ← θ − lr·v             (classical)
//   θ ← θ − lr·(g + μ·v)     (Nesterov, with the updated v)
// v starts at 0, so the first step is v = g, as in PyTorch.

import type { OptimizerConfig } from '../../../common/contract';
import type { FloatArray } from '../tensor';
import { BufferedOptimizer } from './buffered-optimizer';
import { requireRate } from './hyperparams';
import type { WeightDecay } from './weight-decay';

type MomentumConfig = Extract<OptimizerConfig, { kind: 'momentum' }>;

export class Momentum extends BufferedOptimizer {
  private readonly mu: number;
  private readonly nesterov: boolean;

  constructor(config: MomentumConfig, size: number, decay: WeightDecay) {
    requireRate('optimizer.momentum', config.momentum);
    if (typeof config.nesterov !== 'boolean') {
      throw new RangeError(`optimizer.nesterov must be true or false, got ${String(config.nesterov)}`);
    }
    super('momentum', size, [{ name: 'velocity', nonNegative: false }], decay);
    this.mu = config.momentum;
    this.nesterov = config.nesterov;
  }

  protected override update(params: FloatArray, grads: Float64Array, lr: number): void {
    const v = this.buffers[0];
    const mu = this.mu;
    const n = params.length;
    if (this.nesterov) {
      for (let i = 0; i < n; i++) {
        const g = grads[i];
        const vi = mu * v[i] + g;
        v[i] = vi;
        params[i] -= lr * (g + mu * vi);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const vi = mu * v[i] + grads[i];
        v[i] = vi;
        params[i] -= lr * vi;
      }
    }
  }
}
