// Windows over one long series (the characters of a text, the rows of a
// CSV), shared by the text and CSV tasks. The last `fraction` of the series
// is held out. Training window i reads frames iT .. iT+T−1 and targets the
// frame after each, so consecutive windows continue one another; they cycle
// through the training part. Held-out windows are disjoint blocks of T + 1
// frames (T inputs and the frame after the last).

import { newSequence, prepareTrainSequence, type Sequence, type Task } from './task';

/** Fewest training windows a series must allow, so that training is more than one repeated sequence. */
export const MIN_TRAIN_WINDOWS = 2;

export interface Split {
  T: number;
  /** Frames [0, trainLength) are for training; [trainLength, length) are held out. */
  trainLength: number;
  trainWindows: number;
  validationWindows: number;
}

function heldOutLength(length: number, fraction: number): number {
  return Math.round(length * fraction);
}

/** The split of a series of `length` frames, or null when it is too short for one held-out window and MIN_TRAIN_WINDOWS training windows. */
export function splitSeries(length: number, T: number, fraction: number): Split | null {
  const held = heldOutLength(length, fraction);
  const trainLength = length - held;
  const trainWindows = Math.floor((trainLength - 1) / T);
  const validationWindows = Math.floor(held / (T + 1));
  if (trainWindows < MIN_TRAIN_WINDOWS || validationWindows < 1) return null;
  return { T, trainLength, trainWindows, validationWindows };
}

/**
 * The shortest series that splitSeries accepts. Both parts grow by 0 or 1
 * frame per added frame (0 < fraction < 1), so the first length that passes
 * is the minimum. The search starts at a lower bound: the held-out part
 * round(L·f) reaches T + 1 only when L·f ≥ T + 0.5, and the training part
 * L − round(L·f) ≤ L(1 − f) + 0.5 reaches 2T + 1 only when L is at least
 * (2T + 0.5)/(1 − f); 2 frames of slack absorb rounding in these quotients.
 */
export function minimumSeriesLength(T: number, fraction: number): number {
  const trainNeed = MIN_TRAIN_WINDOWS * T + 1;
  const estimate = Math.max((T + 0.5) / fraction, (trainNeed - 0.5) / (1 - fraction), trainNeed + T + 1);
  let length = Math.max(1, Math.floor(estimate) - 2);
  while (splitSeries(length, T, fraction) === null) length++;
  return length;
}

export function trainWindowStart(split: Split, index: number): number {
  return (index % split.trainWindows) * split.T;
}

export function continuesWindow(split: Split, index: number): boolean {
  return index > 0 && index % split.trainWindows !== 0;
}

export function validationWindowStart(split: Split, j: number): number {
  return split.trainLength + j * (split.T + 1);
}

/** What the text and CSV tasks share: training windows that cycle, and the held-out windows. */
export abstract class WindowTask {
  abstract readonly T: number;
  abstract readonly m: number;
  abstract readonly n: number;
  protected abstract readonly split: Split;

  /** Fill the inputs from frames start .. start+T−1 and the targets from the frame after each. */
  protected abstract write(start: number, out: Sequence): void;

  trainSequence(index: number, out: Sequence): void {
    prepareTrainSequence(this as unknown as Task, index, out);
    this.write(trainWindowStart(this.split, index), out);
  }

  continues(index: number): boolean {
    return continuesWindow(this.split, index);
  }

  protected heldOutSequences(): Sequence[] {
    return Array.from({ length: this.split.validationWindows }, (_, j) => {
      const seq = newSequence(this.T, this.m, this.n, false);
      this.write(validationWindowStart(this.split, j), seq);
      return seq;
    });
  }
}
