// The optimizer interface and its one factory. Parameters are one flat
// array (U, W, V, b, c concatenated); gradients are a Float64Array of the
// same length. Every optimizer keeps its moment buffers in float64 whatever
// the parameter dtype, and applies decoupled weight decay (AdamW style,
// Loshchilov & Hutter 2019) before its gradient update.

import type { OptimizerConfig } from '../../../common/contract';
import { OPTIMIZER_KINDS } from '../../../common/values';
import type { NativeKernels } from '../fast/native';
import type { FloatArray } from '../tensor';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { requireNonNegative } from './hyperparams';
import { Momentum } from './momentum';
import { RmsProp } from './rmsprop';
import { Sgd } from './sgd';
import { WeightDecay } from './weight-decay';

/** Everything an optimizer carries between steps: its step count and moment buffers. */
export interface OptimizerState {
  t: number;
  buffers: Float64Array[];
}

export interface Optimizer {
  /** One update in place: params ← params − (update), with the step's learning rate lr. */
  step(params: FloatArray, grads: Float64Array, lr: number): void;
  /** A deep copy of the state. */
  getState(): OptimizerState;
  /** Copies a state in; throws RangeError naming the buffer and index when it does not fit. */
  setState(state: OptimizerState): void;
}

/**
 * An optimizer for `size` parameters. Weight decay θ ← θ − lr·wd·θ applies
 * where decayMask[i] === 1 (everywhere when no mask is given). SGD runs its
 * update in the native kernels when given them (the same bits).
 */
export function createOptimizer(
  config: OptimizerConfig,
  size: number,
  weightDecay: number,
  decayMask?: Uint8Array,
  native: Pick<NativeKernels, 'sgd' | 'sgd32'> | null = null,
): Optimizer {
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`optimizer size must be a non-negative integer, got ${size}`);
  }
  requireNonNegative('training.weightDecay', weightDecay);
  const decay = new WeightDecay(size, weightDecay, decayMask);
  switch (config.kind) {
    case 'sgd':
      return new Sgd(size, decay, native);
    case 'momentum':
      return new Momentum(config, size, decay);
    case 'adagrad':
      return new Adagrad(config, size, decay);
    case 'rmsprop':
      return new RmsProp(config, size, decay);
    case 'adam':
      return new Adam(config, size, decay);
    default: {
      const unknown: never = config;
      throw new RangeError(
        `optimizer.kind must be one of ${OPTIMIZER_KINDS.join(', ')}; got ${JSON.stringify((unknown as { kind: unknown }).kind)}`,
      );
    }
  }
}
