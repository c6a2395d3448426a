// What every training task gives the engine: a deterministic, unbounded
// supply of training sequences and a fixed held-out set. A sequence is the
// inputs x^t, the targets ŷ^t and the weights of E^t (MATH.md, Loss) for
// t = 1..T, stored time-major in flat arrays.

import type { ConfigPath, TaskKind } from '../../common/contract';
import { ConfigError } from '../config';

export interface Sequence {
  T: number;
  /** T·m inputs, row-major (time-major): x[t*m + j]. */
  x: Float64Array;
  /** T·n targets: y[t*n + k]. */
  y: Float64Array;
  /** T weights of E^t (1 = counts, 0 = ignored); null = every step counts. */
  mask: Float64Array | null;
}

export interface Task {
  readonly kind: TaskKind;
  readonly m: number;
  readonly n: number;
  readonly T: number;
  /** 'real' targets suit squared error; 'onehot' targets suit softmax cross-entropy. */
  readonly targets: 'real' | 'onehot';
  /** True when sequences carry a mask (allocate them with newSequence(T, m, n, true)). */
  readonly masked: boolean;
  /** Fill the index-th training sequence (index = 0, 1, 2, ... without bound), deterministic in (seed, index). */
  trainSequence(index: number, out: Sequence): void;
  /** True when training sequence `index` continues in time exactly where sequence index-1 ended (a stream), so an online learner may carry its state across. */
  continues(index: number): boolean;
  /** Fixed held-out set, never overlapping the training data. */
  readonly validation: readonly Sequence[];
  /** For text tasks: the vocabulary (index → character); else null. */
  readonly vocabulary: readonly string[] | null;
}

/**
 * A task's dimensions and how much data it holds, known without generating
 * a sequence (what the main process needs for cost and memory checks).
 */
export interface TaskSizes {
  m: number;
  n: number;
  T: number;
  masked: boolean;
  /** Held-out sequences (Task.validation.length). */
  validationSequences: number;
  /** Bytes the task keeps besides its sequences: a CSV's parsed and normalised values, a text's characters and codes. */
  dataBytes: number;
}

/** Bad task configuration or data: a config error about one field (e.g. 'task.csv'); the message starts with it. */
export class TaskError extends ConfigError {
  override readonly name = 'TaskError';

  constructor(
    readonly field: ConfigPath,
    message: string,
  ) {
    super([{ path: field, message }]);
  }
}

export function newSequence(T: number, m: number, n: number, masked: boolean): Sequence {
  return {
    T,
    x: new Float64Array(T * m),
    y: new Float64Array(T * n),
    mask: masked ? new Float64Array(T) : null,
  };
}

/**
 * The API edge of trainSequence: the index must be a non-negative integer and
 * the buffer must have the task's shape. An unmasked task given a buffer with
 * a mask sets every weight to 1.
 */
export function prepareTrainSequence(task: Task, index: number, out: Sequence): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`training sequence index must be a non-negative integer, got ${index}`);
  }
  if (out.T !== task.T || out.x.length !== task.T * task.m || out.y.length !== task.T * task.n) {
    throw new RangeError(
      `sequence buffer holds T=${out.T} with ${out.x.length} inputs and ${out.y.length} targets; ` +
        `the ${task.kind} task needs T=${task.T}, ${task.T * task.m} inputs and ${task.T * task.n} targets`,
    );
  }
  if (out.mask === null) {
    if (task.masked) throw new RangeError(`the ${task.kind} task is masked: allocate its sequences with a mask`);
  } else {
    if (out.mask.length !== task.T) throw new RangeError(`mask holds ${out.mask.length} weights, the task needs ${task.T}`);
    if (!task.masked) out.mask.fill(1);
  }
}
