// What every optimizer shares: the step count t, float64 moment buffers,
// argument checks at the edge of step(), weight decay, and the state copy
// and validation for checkpoints. A subclass supplies only its kernel.

import type { FloatArray } from '../tensor';
import type { Optimizer, OptimizerState } from './optimizer';
import type { WeightDecay } from './weight-decay';

export interface BufferSpec {
  /** Name used in error messages. */
  name: string;
  /** Second-moment accumulators must stay ≥ 0 (their square root is taken). */
  nonNegative: boolean;
}

export abstract class BufferedOptimizer implements Optimizer {
  protected t = 0;
  protected readonly buffers: Float64Array[];

  protected constructor(
    private readonly kind: string,
    protected readonly size: number,
    private readonly specs: readonly BufferSpec[],
    private readonly decay: WeightDecay,
  ) {
    this.buffers = specs.map(() => new Float64Array(size));
  }

  step(params: FloatArray, grads: Float64Array, lr: number): void {
    if (params.length !== this.size) {
      throw new RangeError(`${this.kind}: params has ${params.length} values, expected ${this.size}`);
    }
    if (grads.length !== this.size) {
      throw new RangeError(`${this.kind}: grads has ${grads.length} values, expected ${this.size}`);
    }
    if (!Number.isFinite(lr) || lr < 0) {
      throw new RangeError(`${this.kind}: lr must be a finite number ≥ 0, got ${lr}`);
    }
    this.decay.apply(params, lr);
    this.t += 1;
    this.update(params, grads, lr, this.t);
  }

  /** The gradient update of step t (1-based), after weight decay. */
  protected abstract update(params: FloatArray, grads: Float64Array, lr: number, t: number): void;

  getState(): OptimizerState {
    return { t: this.t, buffers: this.buffers.map((b) => b.slice()) };
  }

  setState(state: OptimizerState): void {
    const where = `${this.kind} state`;
    if (!Number.isInteger(state.t) || state.t < 0) {
      throw new RangeError(`${where}: t must be a non-negative integer, got ${state.t}`);
    }
    const names = this.specs.map((s) => s.name).join(', ');
    if (!Array.isArray(state.buffers) || state.buffers.length !== this.specs.length) {
      const got = Array.isArray(state.buffers) ? state.buffers.length : typeof state.buffers;
      throw new RangeError(`${where}: expected ${this.specs.length} buffers (${names || 'none'}), got ${got}`);
    }
    // Validate everything before copying anything, so a rejected state leaves this one intact.
    this.specs.forEach((spec, k) => {
      const buffer = state.buffers[k];
      if (!(buffer instanceof Float64Array)) {
        throw new RangeError(`${where}: buffer ${spec.name} must be a Float64Array`);
      }
      if (buffer.length !== this.size) {
        throw new RangeError(`${where}: buffer ${spec.name} has ${buffer.length} values, expected ${this.size}`);
      }
      for (let i = 0; i < buffer.length; i++) {
        const x = buffer[i];
        if (!Number.isFinite(x)) throw new RangeError(`${where}: ${spec.name}[${i}] is ${x}, not a finite number`);
        if (spec.nonNegative && x < 0) throw new RangeError(`${where}: ${spec.name}[${i}] is ${x}, must be ≥ 0`);
      }
    });
    this.t = state.t;
    this.specs.forEach((_, k) => this.buffers[k].set(state.buffers[k]));
  }
}
