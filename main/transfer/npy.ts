// NumPy's .npy format (numpy/lib/format.py, versions 1.0 to 3.0): the magic
// "\x93NUMPY", a version, a little-endian header length, a Python dict
// literal {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// padded with spaces to a multiple of 64 bytes and ended by '\n', then the
// raw values. We write version 1.0, little-endian, C order; we read float64
// and float32 of either byte order and either memory order, up to 2-D, and
// refuse anything else with the reason.

import type { Dtype } from '../../common/contract';
import { badFile, TransferError } from './errors';

/** A dense array of at most two dimensions, values row-major. */
export interface NdArray {
  shape: number[];
  data: Float64Array;
  /** The dtype the values were stored in (float32 values are exact in a Float64Array). */
  dtype: Dtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy itself refuses headers over 10 000 bytes by default; ours are a hundred. */
export const MAX_NPY_HEADER = 65_536;
/** Values in one array: 2^28 float64 values are 2 GiB. */
export const MAX_ELEMENTS = 2 ** 28;

export function encodeNpy(shape: readonly number[], values: ArrayLike<number>, dtype: Dtype): Uint8Array {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new RangeError(`npy: ${values.length} values for shape (${shape.join(', ')})`);
  const descr = dtype === 'float32' ? '<f4' : '<f8';
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const unpadded = 10 + header.length + 1;
  header = header + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const word = dtype === 'float32' ? 4 : 8;
  const out = new Uint8Array(10 + header.length + size * word);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const at = 10 + header.length;
  if (word === 4) for (let i = 0; i < size; i++) view.setFloat32(at + 4 * i, values[i], true);
  else for (let i = 0; i < size; i++) view.setFloat64(at + 8 * i, values[i], true);
  return out;
}

export function decodeNpy(bytes: Uint8Array, what: string): NdArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m))
    throw badFile(`${what}: not a .npy array (wrong magic; expected "\\x93NUMPY")`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3 || bytes[7] !== 0)
    throw new TransferError('unsupported', `${what}: .npy format version ${major}.${bytes[7]} is not supported (1.0 to 3.0 are)`);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start) throw badFile(`${what}: truncated .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER)
    throw new TransferError('too-large', `${what}: a .npy header of ${headerLength} bytes (the limit is ${MAX_NPY_HEADER})`);
  if (start + headerLength > bytes.length)
    throw badFile(`${what}: truncated .npy header (${headerLength} bytes declared, ${bytes.length - start} present)`);
  const headerBytes = bytes.subarray(start, start + headerLength);
  const text = major === 3 ? Buffer.from(headerBytes).toString('utf8') : Buffer.from(headerBytes).toString('latin1');
  const header = parseHeader(text, what);
  const size = header.shape.reduce((a, b) => a * b, 1);
  if (size > MAX_ELEMENTS)
    throw new TransferError(
      'too-large',
      `${what}: shape (${header.shape.join(', ')}) holds ${size} values, over the limit of ${MAX_ELEMENTS}`,
    );
  const word = header.dtype === 'float32' ? 4 : 8;
  const at = start + headerLength;
  const present = bytes.length - at;
  if (present !== size * word) {
    throw badFile(
      `${what}: shape (${header.shape.join(', ')}) needs ${size * word} bytes of data, the file has ${present}${present < size * word ? ' (truncated)' : ''}`,
    );
  }
  const data = new Float64Array(size);
  const le = header.littleEndian;
  if (word === 4) for (let i = 0; i < size; i++) data[i] = view.getFloat32(at + 4 * i, le);
  else for (let i = 0; i < size; i++) data[i] = view.getFloat64(at + 8 * i, le);
  return { shape: header.shape, data: header.fortran ? toRowMajor(data, header.shape) : data, dtype: header.dtype };
}

interface Header {
  dtype: Dtype;
  littleEndian: boolean;
  fortran: boolean;
  shape: number[];
}

const DESCRS: Record<string, { dtype: Dtype; littleEndian: boolean }> = {
  '<f8': { dtype: 'float64', littleEndian: true },
  '>f8': { dtype: 'float64', littleEndian: false },
  '<f4': { dtype: 'float32', littleEndian: true },
  '>f4': { dtype: 'float32', littleEndian: false },
};

/** The header dict: exactly the keys descr, fortran_order and shape, as numpy writes them. */
function parseHeader(text: string, what: string): Header {
  const bad = (why: string) => badFile(`${what}: bad .npy header (${why}): ${JSON.stringify(text.slice(0, 120))}`);
  const m = /^\s*\{(.*)\}\s*$/s.exec(text);
  if (!m) throw bad('not a dict literal');
  const body = m[1];
  const fields = new Map<string, string>();
  const item = /\s*'(\w+)'\s*:\s*('[^']*'|True|False|\([^()]*\))\s*(?:,|(?=$))/y;
  let pos = 0;
  while (body.slice(pos).trim() !== '') {
    item.lastIndex = pos;
    const found = item.exec(body);
    if (found === null) throw bad(`cannot read it from offset ${pos}`);
    if (fields.has(found[1])) throw bad(`key '${found[1]}' twice`);
    fields.set(found[1], found[2]);
    pos = item.lastIndex;
  }
  if (fields.size !== 3) throw bad('expected exactly descr, fortran_order and shape');
  const descr = fields.get('descr');
  const order = fields.get('fortran_order');
  const shape = fields.get('shape');
  if (descr === undefined || order === undefined || shape === undefined) throw bad('expected exactly descr, fortran_order and shape');
  const kind = DESCRS[descr.slice(1, -1)];
  if (!descr.startsWith("'") || !kind) {
    throw new TransferError('unsupported', `${what}: dtype ${descr} is not supported; weights must be float64 ('<f8') or float32 ('<f4')`);
  }
  if (order !== 'True' && order !== 'False') throw bad('fortran_order is not True or False');
  const dims = parseShape(shape, bad);
  if (dims.length > 2) throw new TransferError('unsupported', `${what}: a ${dims.length}-D array; weights are matrices or vectors`);
  return { ...kind, fortran: order === 'True', shape: dims };
}

function parseShape(text: string, bad: (why: string) => Error): number[] {
  if (!text.startsWith('(')) throw bad('shape is not a tuple');
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  const parts = inner.split(',').map((s) => s.trim());
  if (parts.at(-1) === '') parts.pop();
  else if (parts.length === 1) throw bad('a one-element shape needs a trailing comma');
  return parts.map((p) => {
    if (!/^\d{1,9}$/.test(p)) throw bad(`shape entry "${p}" is not a size`);
    return Number(p);
  });
}

/** Column-major (Fortran) values to row-major. */
function toRowMajor(data: Float64Array, shape: number[]): Float64Array {
  if (shape.length < 2) return data;
  const [rows, cols] = shape;
  const out = new Float64Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = data[j * rows + i];
  return out;
}
