// Range checks for optimizer hyperparameters, each naming the config field.

export function requirePositive(field: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${field} must be a finite number > 0, got ${value}`);
  }
}

export function requireNonNegative(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field} must be a finite number ≥ 0, got ${value}`);
  }
}

/** A decay rate: 0 ≤ value < 1. */
export function requireRate(field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value >= 1) {
    throw new RangeError(`${field} must be in [0, 1), got ${value}`);
  }
}
