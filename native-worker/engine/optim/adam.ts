// Adam (Kingma & Ba 2015) with bias correction, in PyTorch's formulation
// (eps added to the bias-corrected root, outside the square root):
//   m ← β1·m + (1 − β1)·g
//   v ← β2·v + (1 − β2)·g²
//   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
// which is θ ← θ − lr·m̂ / (√v̂ + eps) with m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t).
// With the engine's decoupled weight decay this is AdamW.

import type { OptimizerConfig } from '../../../common/contract';
import type { FloatArray } from '../tensor';
import { BufferedOptimizer } from './buffered-optimizer';
import { requirePositive, requireRate } from './hyperparams';
import type { WeightDecay } from './weight-decay';

type AdamConfig = Extract<OptimizerConfig, { kind: 'adam' }>;

export class Adam extends BufferedOptimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;

  constructor(config: AdamConfig, size: number, decay: WeightDecay) {
    requireRate('optimizer.beta1', config.beta1);
    requireRate('optimizer.beta2', config.beta2);
    requirePositive('optimizer.eps', config.eps);
    super(
      'adam',
      size,
      [
        { name: 'm', nonNegative: false },
        { name: 'v', nonNegative: true },
      ],
      decay,
    );
    this.beta1 = config.beta1;
    this.beta2 = config.beta2;
    this.eps = config.eps;
  }

  protected override update(params: FloatArray, grads: Float64Array, lr: number, t: number): void {
    const m = this.buffers[0];
    const v = this.buffers[1];
    const b1 = this.beta1;
    const b2 = this.beta2;
    const eps = this.eps;
    const stepSize = lr / (1 - Math.pow(b1, t));
    const rootCorrection2 = Math.sqrt(1 - Math.pow(b2, t));
    const n = params.length;
    for (let i = 0; i < n; i++) {
      const g = grads[i];
      const mi = b1 * m[i] + (1 - b1) * g;
      const vi = b2 * v[i] + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (stepSize * mi) / (Math.sqrt(vi) / rootCorrection2 + eps);
    }
  }
}
