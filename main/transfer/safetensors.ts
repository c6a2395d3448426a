// safetensors (huggingface/safetensors): an 8-byte little-endian header
// length N, N bytes of JSON {"__metadata__": {string: string}, name:
// {"dtype", "shape", "data_offsets": [begin, end]}} padded with spaces, then
// the tensors' little-endian bytes, back to back. Our metadata carries the
// run's config (JSON text under "config"), step, seed and versions. Reading
// follows the reference implementation's rules: a bounded header that is a
// JSON object, known dtypes, and offsets that tile the data exactly.

import type { Dtype } from '../../common/contract';
import { badFile, TransferError } from './errors';
import { parseJsonText } from './json-text';
import { MAX_ELEMENTS, type NdArray } from './npy';

/** The reference implementation's limit. */
export const MAX_SAFETENSORS_HEADER = 100_000_000;

const CODES: Record<Dtype, string> = { float64: 'F64', float32: 'F32' };
const WORD: Record<string, number> = { F64: 8, F32: 4 };

export function encodeSafetensors(arrays: ReadonlyMap<string, NdArray>, metadata: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, a] of arrays) {
    const bytes = a.data.length * WORD[CODES[a.dtype]];
    header[name] = { dtype: CODES[a.dtype], shape: a.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - (json.length % 8)) % 8; // keeps the data 8-byte aligned, as the reference writer does
  if (pad) json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const a of arrays.values()) {
    if (a.dtype === 'float32') for (let i = 0; i < a.data.length; i++, at += 4) view.setFloat32(at, a.data[i], true);
    else for (let i = 0; i < a.data.length; i++, at += 8) view.setFloat64(at, a.data[i], true);
  }
  return out;
}

export interface SafetensorsFile {
  arrays: Map<string, NdArray>;
  metadata: Record<string, string>;
}

export function decodeSafetensors(bytes: Uint8Array, what: string): SafetensorsFile {
  if (bytes.length < 8) throw badFile(`${what}: truncated safetensors file (${bytes.length} bytes; the header length alone takes 8)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_SAFETENSORS_HEADER))
    throw new TransferError('too-large', `${what}: a safetensors header of ${n} bytes (the limit is ${MAX_SAFETENSORS_HEADER})`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length)
    throw badFile(`${what}: truncated safetensors file (a ${headerLength}-byte header declared, ${bytes.length - 8} bytes follow)`);
  if (headerLength < 2 || bytes[8] !== 0x7b) throw badFile(`${what}: not a safetensors file (the header is not a JSON object)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw badFile(`${what}: the safetensors header is not UTF-8 text`);
  }
  const header = parseJsonText(text, `${what}: the safetensors header`);
  if (!isObject(header)) throw badFile(`${what}: the safetensors header is not a JSON object`);
  const data = bytes.subarray(8 + headerLength);
  const metadata = readMetadata(header.__metadata__, what);
  const spans: { name: string; begin: number; end: number }[] = [];
  const arrays = new Map<string, NdArray>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const t = readEntry(entry, `${what}: tensor "${name}"`, data.length);
    spans.push({ name, begin: t.begin, end: t.end });
    const tv = new DataView(data.buffer, data.byteOffset + t.begin, t.end - t.begin);
    const values = new Float64Array(t.size);
    if (t.dtype === 'float32') for (let i = 0; i < t.size; i++) values[i] = tv.getFloat32(4 * i, true);
    else for (let i = 0; i < t.size; i++) values[i] = tv.getFloat64(8 * i, true);
    arrays.set(name, { shape: t.shape, data: values, dtype: t.dtype });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const s of spans) {
    if (s.begin !== covered)
      throw badFile(
        `${what}: tensor "${s.name}" starts at byte ${s.begin} of the data, expected ${covered} (tensors must tile the data without gaps or overlaps)`,
      );
    covered = s.end;
  }
  if (covered !== data.length)
    throw badFile(`${what}: the tensors cover ${covered} bytes but ${data.length} bytes of data follow the header`);
  return { arrays, metadata };
}

function readMetadata(raw: unknown, what: string): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw badFile(`${what}: __metadata__ is not an object`);
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw badFile(`${what}: __metadata__.${k} is not a string`);
  }
  return raw as Record<string, string>;
}

function readEntry(
  raw: unknown,
  where: string,
  dataLength: number,
): { dtype: Dtype; shape: number[]; begin: number; end: number; size: number } {
  if (!isObject(raw)) throw badFile(`${where} is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (typeof dtype !== 'string') throw badFile(`${where}: dtype is missing`);
  const word = WORD[dtype];
  if (word === undefined) throw new TransferError('unsupported', `${where}: dtype ${dtype} is not supported; weights must be F64 or F32`);
  if (!Array.isArray(shape) || shape.some((s) => !Number.isSafeInteger(s) || s < 0))
    throw badFile(`${where}: shape is not a list of sizes`);
  if (shape.length > 2) throw new TransferError('unsupported', `${where}: a ${shape.length}-D tensor; weights are matrices or vectors`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size > MAX_ELEMENTS) throw new TransferError('too-large', `${where}: ${size} values, over the limit of ${MAX_ELEMENTS}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
    throw badFile(`${where}: data_offsets is not a pair of byte offsets`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin || end > dataLength)
    throw badFile(`${where}: data_offsets [${begin}, ${end}] lie outside the ${dataLength} bytes of data (truncated?)`);
  if (end - begin !== size * word)
    throw badFile(`${where}: shape [${shape.join(', ')}] of ${dtype} needs ${size * word} bytes, data_offsets give ${end - begin}`);
  return { dtype: dtype === 'F32' ? 'float32' : 'float64', shape: shape as number[], begin, end, size };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
