// Character-level next-character prediction (Karpathy's min-char-rnn task).
// The vocabulary is the text's distinct characters (Unicode code points) in
// code-point order; inputs and targets are one-hot over it (m = n). The last
// `validationFraction` of the text is held out; training windows run
// consecutively through the rest and cycle (see windows.ts).

import type { TaskConfig } from '../../common/contract';
import { openFraction, wholeNumber } from './checks';
import { SONNETS } from './sonnets';
import { TaskError, type Sequence, type Task, type TaskSizes } from './task';
import { MIN_TRAIN_WINDOWS, minimumSeriesLength, type Split, splitSeries, WindowTask } from './windows';

type TextConfig = Extract<TaskConfig, { kind: 'text' }>;

export const MAX_VOCABULARY = 256;

/** What a text task is, found in one pass over its code points without building anything per character. */
interface TextScan {
  sizes: TaskSizes;
  text: string;
  /** Its distinct code points in ascending order. */
  codePoints: number[];
  split: Split;
}

/** The code point at text[i]; a lone surrogate is one character of its own, as in Array.from. */
function codePointAt(text: string, i: number): number {
  return text.codePointAt(i) as number;
}

function scanText(config: TextConfig): TextScan {
  if (config.text !== null && typeof config.text !== 'string') {
    throw new TaskError('task.text', 'must be the text to learn from, or null for the bundled sonnets');
  }
  const T = wholeNumber(config.T, 'task.T', 1);
  const fraction = openFraction(config.validationFraction, 'task.validationFraction');
  const bundled = config.text === null;
  const text = config.text ?? SONNETS;
  if (text.length === 0) throw new TaskError('task.text', 'the text is empty; give a text, or null for the bundled sonnets');

  const seen = new Uint8Array(0x10000);
  const astral = new Set<number>();
  let length = 0;
  for (let i = 0; i < text.length; length++) {
    const unit = text.charCodeAt(i);
    // only a high surrogate can start a two-unit character
    const c = unit >= 0xd800 && unit <= 0xdbff ? codePointAt(text, i) : unit;
    i += c > 0xffff ? 2 : 1;
    if (c > 0xffff) astral.add(c);
    else seen[c] = 1;
  }
  const codePoints: number[] = [];
  for (let c = 0; c < 0x10000; c++) if (seen[c] === 1) codePoints.push(c);
  codePoints.push(...[...astral].sort((a, b) => a - b));
  if (codePoints.length > MAX_VOCABULARY) {
    throw new TaskError('task.text', `the text has ${codePoints.length} distinct characters; at most ${MAX_VOCABULARY} are supported`);
  }
  if (codePoints.length < 2) {
    throw new TaskError('task.text', 'the text uses a single character; there is nothing to predict');
  }

  const split = splitSeries(length, T, fraction);
  if (split === null) {
    const need = minimumSeriesLength(T, fraction);
    const what =
      `with T = ${T} and validationFraction = ${fraction} the text must be at least ${need} characters long ` +
      `(${MIN_TRAIN_WINDOWS} training windows of T characters and one held-out window of T + 1)`;
    throw bundled
      ? new TaskError('task.T', `the bundled text has ${length} characters; ${what}; lower T or give a longer text`)
      : new TaskError('task.text', `the text has ${length} characters; ${what}`);
  }
  const v = codePoints.length;
  return {
    sizes: { m: v, n: v, T, masked: false, validationSequences: split.validationWindows, dataBytes: length },
    text,
    codePoints,
    split,
  };
}

export function textSizes(config: TextConfig): TaskSizes {
  return scanText(config).sizes;
}

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
    const { sizes, text, codePoints, split } = scanText(config);
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
