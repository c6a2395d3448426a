// The copy (memory) task of Hochreiter & Schmidhuber (1997), in the variant
// of Arjovsky, Shah & Bengio (2016): read `length` random symbols, wait
// through `delay` blanks, see the "go" marker, then reproduce the symbols in
// order. Only the recall steps count (mask 1).
//
//   step      0 .. L−1     L .. L+D−1   L+D     L+D+1 .. 2L+D
//   input     symbols      blank        go      blank
//   target    −            −            −       the symbols, in order
//
// Inputs are one-hot over symbols + 2 (the symbols, blank, go); targets are
// one-hot over the symbols on recall steps and all zero elsewhere (masked).
// No training sequence repeats a held-out pattern: a training draw that
// equals one is drawn again from the same generator.

import type { TaskConfig } from '../../common/contract';
import type { Rng } from '../engine/prng';
import { wholeNumber } from './checks';
import { TaskStreams } from './streams';
import { newSequence, prepareTrainSequence, TaskError, type Sequence, type Task, type TaskSizes } from './task';

type CopyConfig = Extract<TaskConfig, { kind: 'copy' }>;

/** The sizes and the checked settings: symbols, pattern length, delay. */
export function copySizes(config: CopyConfig): TaskSizes & { symbols: number; length: number; delay: number } {
  const symbols = wholeNumber(config.symbols, 'task.symbols', 2);
  const length = wholeNumber(config.length, 'task.length', 1);
  const delay = wholeNumber(config.delay, 'task.delay', 0);
  const count = wholeNumber(config.validationSequences, 'task.validationSequences', 1);
  // The held-out patterns must leave at least as many for training.
  const patterns = Math.pow(symbols, length);
  if (patterns < 2 * count) {
    throw new TaskError(
      'task.validationSequences',
      `${count} held-out sequences need at least ${2 * count} distinct patterns, but ${symbols} symbols ` +
        `and length ${length} give only ${patterns}; hold out fewer sequences or use more symbols or a longer length`,
    );
  }
  return {
    m: symbols + 2,
    n: symbols,
    T: 2 * length + delay + 1,
    masked: true,
    validationSequences: count,
    dataBytes: 0,
    symbols,
    length,
    delay,
  };
}

export class CopyTask implements Task {
  readonly kind = 'copy';
  readonly m: number;
  readonly n: number;
  readonly T: number;
  readonly targets = 'onehot';
  readonly masked = true;
  readonly vocabulary = null;
  readonly validation: readonly Sequence[];
  readonly symbols: number;
  readonly length: number;
  readonly delay: number;
  private readonly streams: TaskStreams;
  private readonly heldOut = new Set<string>();
  private readonly pattern: Int32Array;

  constructor(config: CopyConfig, seed: number) {
    const sizes = copySizes(config);
    const count = sizes.validationSequences;
    ({ symbols: this.symbols, length: this.length, delay: this.delay, m: this.m, n: this.n, T: this.T } = sizes);
    this.streams = new TaskStreams(seed);
    this.pattern = new Int32Array(this.length);

    const rng = this.streams.validation();
    const validation: Sequence[] = [];
    while (validation.length < count) {
      this.draw(rng);
      const key = this.patternKey();
      if (this.heldOut.has(key)) continue;
      this.heldOut.add(key);
      const seq = newSequence(this.T, this.m, this.n, true);
      this.write(seq);
      validation.push(seq);
    }
    this.validation = validation;
  }

  trainSequence(index: number, out: Sequence): void {
    prepareTrainSequence(this, index, out);
    const rng = this.streams.train(index);
    do this.draw(rng);
    while (this.heldOut.has(this.patternKey()));
    this.write(out);
  }

  continues(_index: number): boolean {
    return false;
  }

  private draw(rng: Rng): void {
    for (let i = 0; i < this.length; i++) this.pattern[i] = rng.int(this.symbols);
  }

  private patternKey(): string {
    return this.pattern.join(',');
  }

  private write(out: Sequence): void {
    const { m, n, length, delay, pattern } = this;
    const blank = this.symbols;
    const go = this.symbols + 1;
    const { x, y } = out;
    const mask = out.mask as Float64Array;
    x.fill(0);
    y.fill(0);
    mask.fill(0);
    for (let t = 0; t < length; t++) x[t * m + pattern[t]] = 1;
    for (let t = length; t < length + delay; t++) x[t * m + blank] = 1;
    x[(length + delay) * m + go] = 1;
    for (let r = 0; r < length; r++) {
      const t = length + delay + 1 + r;
      x[t * m + blank] = 1;
      y[t * n + pattern[r]] = 1;
      mask[t] = 1;
    }
  }
}
