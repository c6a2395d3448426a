// Character-level next-character prediction (Karpathy's min-char-rnn task).
// The vocabulary is the text's distinct characters (Unicode code points) in
// code-point order; inputs and targets are one-hot over it (m = n). The last
// `validationFraction` of the text is held out; training windows run
// consecutively through the rest and cycle (see windows.ts).

import { SONNETS } from './sonnets';
import type { Sequence, Task } from './task';
import { codePointAt, scanText, textSettings, textShape, type TextConfig } from './text-sizes';
import { type Split, WindowTask } from './windows';

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
    const settings = textSettings(config);
    const text = config.text ?? SONNETS;
    const { length, codePoints } = scanText(text);
    const { sizes, split } = textShape(settings, length, codePoints.length, config.text === null);
    this.T = sizes.T;
    this.m = sizes.m;
    this.n = sizes.n;
    this.vocabulary = codePoints.map((c) => String.fromCodePoint(c));
    this.split = split;

    const index = new Map(codePoints.map((c, i) => [c, i]));
    this.codes = new Uint8Array(sizes.dataBytes);
    for (let i = 0, k = 0; i < text.length; k++) {
      const c = codePointAt(text, i);
      i += c > 0xffff ? 2 : 1;
      this.codes[k] = index.get(c) as number;
    }

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
