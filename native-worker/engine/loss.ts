// The loss of MATH.md and its error signal at the output.
//   squared error:  E^t = g Σ_k (ŷ_k − y_k)²,   e_k^t = ∂E^t/∂y_k = −2g (ŷ_k − y_k)
//   cross-entropy:  E^t = −Σ_k ŷ_k log p_k,     p = softmax(y),  e^t = p Σ_k ŷ_k − ŷ
// A row's mask weight multiplies both (0 drops a time step from the objective).

import type { LossConfig } from '../../common/contract';
import type { FloatArray } from './tensor';

export interface LossSpec {
  kind: LossConfig['kind'];
  /** g for squared error (1/n unless configured). */
  scale: number;
}

export function lossSpec(config: LossConfig, n: number): LossSpec {
  return config.kind === 'mse' ? { kind: 'mse', scale: config.scale ?? 1 / n } : { kind: 'xent', scale: 1 };
}

/**
 * Loss of `rows` consecutive output rows (each n wide) against targets,
 * each row weighted by weight · mask[row]. Writes the weighted error signal
 * e into grad (same layout as y) and returns the weighted loss sum.
 */
export function lossRows(
  spec: LossSpec,
  n: number,
  rows: number,
  y: FloatArray,
  yOff: number,
  target: ArrayLike<number>,
  tOff: number,
  mask: ArrayLike<number> | null,
  maskOff: number,
  weight: number,
  grad: FloatArray,
  gOff: number,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const w = mask === null ? weight : weight * mask[maskOff + r];
    const yo = yOff + r * n,
      to = tOff + r * n,
      go = gOff + r * n;
    if (w === 0) {
      grad.fill(0, go, go + n);
      continue;
    }
    if (spec.kind === 'mse') {
      const g = spec.scale;
      let e = 0;
      for (let k = 0; k < n; k++) {
        const diff = target[to + k] - y[yo + k];
        e += diff * diff;
        grad[go + k] = -2 * g * w * diff;
      }
      total += w * g * e;
    } else {
      let max = -Infinity;
      for (let k = 0; k < n; k++) if (y[yo + k] > max) max = y[yo + k];
      let z = 0;
      for (let k = 0; k < n; k++) z += Math.exp(y[yo + k] - max);
      const logZ = max + Math.log(z);
      let e = 0,
        mass = 0;
      for (let k = 0; k < n; k++) {
        const t = target[to + k];
        if (t !== 0) e -= t * (y[yo + k] - logZ);
        mass += t;
      }
      for (let k = 0; k < n; k++) grad[go + k] = w * (Math.exp(y[yo + k] - logZ) * mass - target[to + k]);
      total += w * e;
    }
  }
  return total;
}
