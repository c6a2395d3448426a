// Float64 arrays as little-endian blobs, bit for bit: -0, subnormals and
// NaN payloads survive because the bytes are copied, never re-parsed.

const HOST_IS_LE = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** The values as a float64 little-endian blob. Shares memory with a Float64Array input on LE hosts. */
export function encodeF64(values: ArrayLike<number>): Buffer {
  const f64 = values instanceof Float64Array ? values : Float64Array.from(values);
  if (HOST_IS_LE) return Buffer.from(f64.buffer, f64.byteOffset, f64.byteLength);
  const out = Buffer.alloc(f64.length * 8);
  for (let i = 0; i < f64.length; i++) out.writeDoubleLE(f64[i], i * 8);
  return out;
}

/** A fresh Float64Array read from a float64 little-endian blob. */
export function decodeF64(blob: Uint8Array, what: string): Float64Array {
  if (blob.byteLength % 8 !== 0) {
    throw new RangeError(`${what}: a float64 blob of ${blob.byteLength} bytes is not a multiple of 8`);
  }
  const out = new Float64Array(blob.byteLength / 8);
  if (HOST_IS_LE) {
    new Uint8Array(out.buffer).set(blob);
  } else {
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, true);
  }
  return out;
}

/** Index of the first NaN or ±Infinity, or -1 when all are finite. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return i;
  }
  return -1;
}
