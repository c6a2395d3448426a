// A text task's sizes and split, found in one pass over its code points
// without building anything per character (text.ts builds the task from
// them). For the bundled sonnets the counts come from bundled-text.ts, so
// this module never holds the text itself.

import type { TaskConfig } from '../../common/contract';
import { BUNDLED_TEXT } from './bundled-text';
import { openFraction, wholeNumber } from './checks';
import { TaskError, type TaskSizes } from './task';
import { MIN_TRAIN_WINDOWS, minimumSeriesLength, type Split, splitSeries } from './windows';

export type TextConfig = Extract<TaskConfig, { kind: 'text' }>;

export const MAX_VOCABULARY = 256;

/** The code point at text[i]; a lone surrogate is one character of its own, as in Array.from. */
export function codePointAt(text: string, i: number): number {
  return text.codePointAt(i) as number;
}

/** The settings every text task checks first: the text's type, T and the held-out fraction. */
export function textSettings(config: TextConfig): { T: number; fraction: number } {
  if (config.text !== null && typeof config.text !== 'string') {
    throw new TaskError('task.text', 'must be the text to learn from, or null for the bundled sonnets');
  }
  return { T: wholeNumber(config.T, 'task.T', 1), fraction: openFraction(config.validationFraction, 'task.validationFraction') };
}

/** The text's length in code points and its distinct code points in ascending order. */
export function scanText(text: string): { length: number; codePoints: number[] } {
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
  return { length, codePoints };
}

/** The task's sizes and split over a text of `length` characters and `vocabulary` distinct ones (bundled: the sonnets). */
export function textShape(
  { T, fraction }: { T: number; fraction: number },
  length: number,
  vocabulary: number,
  bundled: boolean,
): { sizes: TaskSizes; split: Split } {
  if (vocabulary > MAX_VOCABULARY) {
    throw new TaskError('task.text', `the text has ${vocabulary} distinct characters; at most ${MAX_VOCABULARY} are supported`);
  }
  if (vocabulary < 2) {
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
  return {
    sizes: { m: vocabulary, n: vocabulary, T, masked: false, validationSequences: split.validationWindows, dataBytes: length },
    split,
  };
}

export function textSizes(config: TextConfig): TaskSizes {
  const settings = textSettings(config);
  if (config.text === null) return textShape(settings, BUNDLED_TEXT.length, BUNDLED_TEXT.vocabulary, true).sizes;
  const { length, codePoints } = scanText(config.text);
  return textShape(settings, length, codePoints.length, false).sizes;
}
