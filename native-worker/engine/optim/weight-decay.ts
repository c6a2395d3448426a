// Decoupled weight decay (AdamW style): θ ← θ − lr·wd·θ, applied to the
// parameters before the optimizer's gradient update and independent of the
// gradient and the moment buffers. The mask lets the engine exempt biases.

import type { FloatArray } from '../tensor';

export class WeightDecay {
  private readonly wd: number;
  private readonly mask: Uint8Array | null;

  constructor(size: number, wd: number, mask?: Uint8Array) {
    if (mask !== undefined) {
      if (mask.length !== size) {
        throw new RangeError(`weight decay mask has ${mask.length} entries, expected ${size}`);
      }
      for (let i = 0; i < size; i++) {
        if (mask[i] > 1) throw new RangeError(`weight decay mask[${i}] must be 0 or 1, got ${mask[i]}`);
      }
    }
    this.wd = wd;
    this.mask = mask === undefined ? null : mask.slice();
  }

  apply(params: FloatArray, lr: number): void {
    const rate = lr * this.wd;
    if (rate === 0) return;
    const mask = this.mask;
    const n = params.length;
    if (mask === null) {
      for (let i = 0; i < n; i++) params[i] -= rate * params[i];
    } else {
      for (let i = 0; i < n; i++) if (mask[i] === 1) params[i] -= rate * params[i];
    }
  }
}
