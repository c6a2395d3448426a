// Argument checks shared by the metric functions: a slice [from, from +
// length) of a flat array must be a whole-number range that lies inside it.

export function checkSpan(fn: string, values: ArrayLike<number>, from: number, length: number): void {
  if (!Number.isInteger(from) || from < 0) {
    throw new RangeError(`${fn}: from must be a non-negative integer, got ${from}`);
  }
  if (!Number.isInteger(length) || length < 0) {
    throw new RangeError(`${fn}: length must be a non-negative integer, got ${length}`);
  }
  if (from + length > values.length) {
    throw new RangeError(`${fn}: values [${from}, ${from + length}) do not fit in ${values.length} values`);
  }
}
