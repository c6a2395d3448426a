// The adding problem (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton
// 2015). Input channel 0 holds a value uniform in [0, 1), channel 1 a marker;
// exactly two steps are marked, one in the first half [0, ⌊T/2⌋) and one in
// the second [⌊T/2⌋, T). The single output must equal the sum of the two
// marked values at the last step, the only step that counts.

import type { TaskConfig } from '../../common/contract';
import type { Rng } from '../engine/prng';
import { wholeNumber } from './checks';
import { TaskStreams } from './streams';
import { newSequence, prepareTrainSequence, type Sequence, type Task, type TaskSizes } from './task';

type AddingConfig = Extract<TaskConfig, { kind: 'adding' }>;

export function addingSizes(config: AddingConfig): TaskSizes {
  const T = wholeNumber(config.T, 'task.T', 2);
  const validationSequences = wholeNumber(config.validationSequences, 'task.validationSequences', 1);
  return { m: 2, n: 1, T, masked: true, validationSequences, dataBytes: 0 };
}

export class AddingTask implements Task {
  readonly kind = 'adding';
  readonly m = 2;
  readonly n = 1;
  readonly T: number;
  readonly targets = 'real';
  readonly masked = true;
  readonly vocabulary = null;
  readonly validation: readonly Sequence[];
  private readonly streams: TaskStreams;

  constructor(config: AddingConfig, seed: number) {
    const { T, validationSequences: count } = addingSizes(config);
    this.T = T;
    this.streams = new TaskStreams(seed);
    const rng = this.streams.validation();
    const validation: Sequence[] = [];
    for (let v = 0; v < count; v++) {
      const seq = newSequence(this.T, this.m, this.n, true);
      this.write(rng, seq);
      validation.push(seq);
    }
    this.validation = validation;
  }

  trainSequence(index: number, out: Sequence): void {
    prepareTrainSequence(this, index, out);
    this.write(this.streams.train(index), out);
  }

  continues(_index: number): boolean {
    return false;
  }

  private write(rng: Rng, out: Sequence): void {
    const T = this.T;
    const { x, y } = out;
    const mask = out.mask as Float64Array;
    for (let t = 0; t < T; t++) {
      x[2 * t] = rng.uniform();
      x[2 * t + 1] = 0;
      y[t] = 0;
      mask[t] = 0;
    }
    const half = Math.floor(T / 2);
    const first = rng.int(half);
    const second = half + rng.int(T - half);
    x[2 * first + 1] = 1;
    x[2 * second + 1] = 1;
    y[T - 1] = x[2 * first] + x[2 * second];
    mask[T - 1] = 1;
  }
}
