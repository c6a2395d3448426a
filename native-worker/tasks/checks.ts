// Checks of the numeric task settings, each failing with a TaskError that
// names the field and says what would be accepted.

import type { ConfigPath } from '../../common/contract';
import { TaskError } from './task';

export function wholeNumber(value: unknown, field: ConfigPath, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TaskError(field, `must be a whole number of at least ${min} (got ${describe(value)})`);
  }
  return value;
}

/** A fraction strictly between 0 and 1, such as the share of data held out for validation. */
export function openFraction(value: unknown, field: ConfigPath): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new TaskError(field, `must be a number between 0 and 1, both excluded (got ${describe(value)})`);
  }
  return value;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
