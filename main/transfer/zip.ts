// A small zip (PKWARE APPNOTE 6.3) writer and reader: stored and deflated
// entries through node:zlib, no zip64, no encryption. Writing is
// deterministic (fixed timestamps, entries in the given order), so the same
// export gives the same bytes. Reading trusts nothing: the central directory
// is cross-checked against each local header, every entry's declared size is
// held to a limit before it is inflated, inflation stops at the declared
// size (a zip bomb cannot make it allocate more), and every CRC is checked.

import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { badFile, TransferError } from './errors';

export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** Deflate this entry (text compresses well; float matrices barely do). */
  deflate?: boolean;
}

export interface ZipLimits {
  maxEntries: number;
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 100_000, maxEntryBytes: 1 << 30, maxTotalBytes: 2 ** 31 };

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const UTF8_NAMES = 0x0800;
/** MS-DOS date of 1980-01-01, the earliest a zip can hold: a fixed stamp keeps exports reproducible. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const U32_MAX = 0xffffffff;

export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  if (entries.length > 0xffff) throw new TransferError('too-large', `zip: ${entries.length} entries; at most 65535 without zip64`);
  const names = new Set<string>();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    if (names.has(e.name)) throw new RangeError(`zip: duplicate entry name ${e.name}`);
    names.add(e.name);
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data, { level: 6 }) : e.data;
    const method = e.deflate ? 8 : 0;
    const crc = crc32(e.data);
    if (e.data.byteLength > U32_MAX || offset + 30 + name.length + body.byteLength > U32_MAX) {
      throw new TransferError('too-large', `zip: ${e.name} takes the archive past 4 GiB, which needs zip64`);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    writeCommon(local, 4, method, crc, body.byteLength, e.data.byteLength, name.length);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL, 0);
    dir.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
    writeCommon(dir, 6, method, crc, body.byteLength, e.data.byteLength, name.length);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(dir, name);
    offset += local.length + name.length + body.byteLength;
  }
  const dirSize = central.reduce((s, b) => s + b.byteLength, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** The fields local and central headers share, from "version needed" to "extra length". */
function writeCommon(b: Buffer, at: number, method: number, crc: number, compressed: number, size: number, nameLength: number): void {
  b.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
  b.writeUInt16LE(UTF8_NAMES, at + 2);
  b.writeUInt16LE(method, at + 4);
  b.writeUInt16LE(0, at + 6); // time 00:00:00
  b.writeUInt16LE(DOS_DATE, at + 8);
  b.writeUInt32LE(crc >>> 0, at + 10);
  b.writeUInt32LE(compressed, at + 14);
  b.writeUInt32LE(size, at + 18);
  b.writeUInt16LE(nameLength, at + 22);
}

/** Entry name → uncompressed bytes, in the order of the central directory. */
export function readZip(data: Uint8Array, what: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Uint8Array> {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (b.length < 4 || b.readUInt32LE(0) !== LOCAL) {
    if (b.length >= 22 && b.readUInt32LE(0) === END) return new Map(); // an empty archive
    throw badFile(`${what}: not a zip archive (it does not start with "PK\\x03\\x04")`);
  }
  const endAt = findEnd(b);
  if (endAt < 0) throw badFile(`${what}: truncated zip archive (no end-of-central-directory record)`);
  const count = b.readUInt16LE(endAt + 10);
  const dirSize = b.readUInt32LE(endAt + 12);
  const dirAt = b.readUInt32LE(endAt + 16);
  if (b.readUInt16LE(endAt + 4) !== 0 || b.readUInt16LE(endAt + 6) !== 0 || b.readUInt16LE(endAt + 8) !== count) {
    throw new TransferError('unsupported', `${what}: multi-volume zip archives are not supported`);
  }
  if (count === 0xffff || dirSize === U32_MAX || dirAt === U32_MAX) {
    throw new TransferError('unsupported', `${what}: zip64 archives are not supported`);
  }
  if (count > limits.maxEntries) throw new TransferError('too-large', `${what}: ${count} entries, over the limit of ${limits.maxEntries}`);
  if (dirAt + dirSize > endAt) throw badFile(`${what}: the central directory (${dirSize} bytes at ${dirAt}) runs past the end record at ${endAt}`);

  const out = new Map<string, Uint8Array>();
  let total = 0;
  let p = dirAt;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dirAt + dirSize || b.readUInt32LE(p) !== CENTRAL) throw badFile(`${what}: central directory entry ${i} is damaged`);
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    const compressed = b.readUInt32LE(p + 20);
    const size = b.readUInt32LE(p + 24);
    const nameLength = b.readUInt16LE(p + 28);
    const skip = nameLength + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    const localAt = b.readUInt32LE(p + 42);
    if (p + 46 + skip > dirAt + dirSize) throw badFile(`${what}: central directory entry ${i} runs past the directory`);
    const name = decodeName(b.subarray(p + 46, p + 46 + nameLength), `${what}: entry ${i}`);
    const where = `${what}: entry ${name}`;
    p += 46 + skip;
    if (out.has(name)) throw badFile(`${where} appears twice`);
    if (flags & 0x41) throw new TransferError('unsupported', `${where} is encrypted`);
    if (method !== 0 && method !== 8) throw new TransferError('unsupported', `${where} uses compression method ${method}; only stored (0) and deflate (8) are read`);
    if (compressed === U32_MAX || size === U32_MAX) throw new TransferError('unsupported', `${where} needs zip64`);
    if (size > limits.maxEntryBytes) throw new TransferError('too-large', `${where} declares ${size} bytes, over the limit of ${limits.maxEntryBytes}`);
    total += size;
    if (total > limits.maxTotalBytes) throw new TransferError('too-large', `${what}: entries declare more than ${limits.maxTotalBytes} bytes in all`);
    const body = localBody(b, localAt, nameLength, compressed, dirAt, where);
    out.set(name, extract(body, method, size, crc, where));
  }
  return out;
}

/** The end-of-central-directory record: the last signature within 64 KiB (its comment) of the end. */
function findEnd(b: Buffer): number {
  const last = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= last; i--) {
    if (b.readUInt32LE(i) === END && i + 22 + b.readUInt16LE(i + 20) === b.length) return i;
  }
  return -1;
}

function localBody(b: Buffer, at: number, nameLength: number, compressed: number, dirAt: number, where: string): Buffer {
  if (at + 30 > dirAt || b.readUInt32LE(at) !== LOCAL) throw badFile(`${where}: no local header at offset ${at}`);
  if (b.readUInt16LE(at + 26) !== nameLength) throw badFile(`${where}: the local header names a different file`);
  const start = at + 30 + nameLength + b.readUInt16LE(at + 28);
  if (start + compressed > dirAt) throw badFile(`${where}: its ${compressed} bytes run past the central directory (truncated?)`);
  return b.subarray(start, start + compressed);
}

function extract(body: Buffer, method: number, size: number, crc: number, where: string): Uint8Array {
  let data: Uint8Array;
  if (method === 0) {
    if (body.length !== size) throw badFile(`${where}: stored with ${body.length} bytes but declares ${size}`);
    data = body;
  } else {
    try {
      // One byte of headroom: an entry that inflates past its declared size fails here, allocating no more.
      data = inflateRawSync(body, { maxOutputLength: size + 1 });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new TransferError('too-large', `${where} inflates past its declared ${size} bytes (a zip bomb?)`);
      throw badFile(`${where}: deflate data is damaged (${(e as Error).message})`);
    }
    if (data.length !== size) throw badFile(`${where} inflates to ${data.length > size ? 'more than' : data.length} bytes, not the declared ${size}`);
  }
  if (crc32(data) >>> 0 !== crc) throw badFile(`${where}: CRC-32 mismatch (damaged data)`);
  return data;
}

function decodeName(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badFile(`${what}: its name is not UTF-8`);
  }
}
