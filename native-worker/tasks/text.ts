// Character-level next-character prediction (Karpathy's min-char-rnn task).
// The vocabulary is the text's distinct characters (Unicode code points) in
// code-point order; inputs and targets are one-hot over it (m = n). The last
// `validationFraction` of the text is held out; training windows run
// consecutively through the rest and cycle (see windows.ts).

import type { TaskConfig } from '../../main/contract';
import { openFraction, wholeNumber } from './checks';
import { SONNETS } from './sonnets';
import { TaskError, type Sequence, type Task } from './task';
import { MIN_TRAIN_WINDOWS, minimumSeriesLength, type Split, splitSeries, WindowTask } from './windows';

type TextConfig = Extract<TaskConfig, { kind: 'text' }>;

export const MAX_VOCABULARY = 256;

export class TextTask extends WindowTask implements Task {
  readonly kind = 'text';
  readonly m: number;
  readonly n: number;
  readonly T: number;
  readonly targets = 'onehot';
  readonly masked = false;
  readonly vocabulary: readonly string[];
  readonly validation: readonly Sequence[];
  /** Vocabulary index of every character of the text. */
  private readonly codes: Uint8Array;
  protected readonly split: Split;

  constructor(config: TextConfig) {
    super();
    if (config.text !== null && typeof config.text !== 'string') {
      throw new TaskError('task.text', 'must be the text to learn from, or null for the bundled sonnets');
    }
    this.T = wholeNumber(config.T, 'task.T', 1);
    const fraction = openFraction(config.validationFraction, 'task.validationFraction');
    const bundled = config.text === null;
    const chars = Array.from(config.text ?? SONNETS);
    if (chars.length === 0) throw new TaskError('task.text', 'the text is empty; give a text, or null for the bundled sonnets');

    const distinct = [...new Set(chars)].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
    if (distinct.length > MAX_VOCABULARY) {
      throw new TaskError('task.text', `the text has ${distinct.length} distinct characters; at most ${MAX_VOCABULARY} are supported`);
    }
    if (distinct.length < 2) {
      throw new TaskError('task.text', 'the text uses a single character; there is nothing to predict');
    }
    this.vocabulary = distinct;
    this.m = distinct.length;
    this.n = distinct.length;

    const split = splitSeries(chars.length, this.T, fraction);
    if (split === null) {
      const need = minimumSeriesLength(this.T, fraction);
      const what = `with T = ${this.T} and validationFraction = ${fraction} the text must be at least ${need} characters long ` +
        `(${MIN_TRAIN_WINDOWS} training windows of T characters and one held-out window of T + 1)`;
      throw bundled
        ? new TaskError('task.T', `the bundled text has ${chars.length} characters; ${what}; lower T or give a longer text`)
        : new TaskError('task.text', `the text has ${chars.length} characters; ${what}`);
    }
    this.split = split;

    const index = new Map(distinct.map((c, i) => [c, i]));
    this.codes = new Uint8Array(chars.length);
    for (let i = 0; i < chars.length; i++) this.codes[i] = index.get(chars[i]) as number;

    this.validation = this.heldOutSequences();
  }

  /** Inputs: characters start .. start+T−1; targets: the character after each. */
  protected write(start: number, out: Sequence): void {
    const { T, m, codes } = this;
    const { x, y } = out;
    x.fill(0);
    y.fill(0);
    for (let t = 0; t < T; t++) {
      x[t * m + codes[start + t]] = 1;
      y[t * m + codes[start + t + 1]] = 1;
    }
  }
}
