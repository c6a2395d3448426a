// NumPy's .npz: a zip of one .npy per array, named "<key>.npy", as
// numpy.savez writes it (stored, uncompressed): `numpy.load(path)` gives a
// mapping with keys U, W, V (b, c) and nothing else. Reading accepts
// stored or deflated entries (numpy.savez_compressed) under the zip limits.

import type { MatrixName } from '../../common/contract';
import { badFile } from './errors';
import { decodeNpy, encodeNpy, type NdArray } from './npy';
import { readZip, writeZip, type ZipEntry, type ZipLimits, DEFAULT_ZIP_LIMITS } from './zip';

export function encodeNpz(arrays: ReadonlyMap<MatrixName, NdArray>): Uint8Array {
  const entries: ZipEntry[] = [];
  for (const [name, a] of arrays) entries.push({ name: `${name}.npy`, data: encodeNpy(a.shape, a.data, a.dtype) });
  return writeZip(entries);
}

export function decodeNpz(bytes: Uint8Array, what: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, NdArray> {
  const out = new Map<string, NdArray>();
  for (const [entry, data] of readZip(bytes, what, limits)) {
    if (!entry.endsWith('.npy')) throw badFile(`${what}: entry ${entry} is not a .npy array`);
    out.set(entry.slice(0, -4), decodeNpy(data, `${what}: ${entry}`));
  }
  if (out.size === 0) throw badFile(`${what}: an empty .npz archive`);
  return out;
}
