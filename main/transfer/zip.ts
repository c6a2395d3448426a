// Reading zips (PKWARE APPNOTE 6.3), zip64 included, from bytes in memory
// or from a file by random access: only the end records, the central
// directory and the entry being read are ever loaded. Reading trusts
// nothing: the central directory is cross-checked against each local
// header, every entry's declared size is held to a limit before it is
// inflated, inflation stops at the declared size (a zip bomb cannot make it
// allocate more), and every CRC is checked. Stored and deflated entries,
// no encryption, one disk.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { badFile, TransferError } from './errors';
import { CENTRAL, END, END64, END64_LOCATOR, LOCAL, U16_MAX, U32_MAX } from './zip-write';

export { writeZip, zipChunks, type ZipEntry } from './zip-write';

export interface ZipLimits {
  maxEntries: number;
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest uncompressed size of all entries together. */
  maxTotalBytes: number;
}

/**
 * A run archive may hold 100,000 snapshots of up to 11 entries each (an
 * entry costs about 200 bytes of memory while the directory is read).
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 1_200_000, maxEntryBytes: 1 << 30, maxTotalBytes: 2 ** 31 };

/** Random access to the zip's bytes. */
export interface ZipSource {
  size: number;
  /** `length` bytes from `at`; fewer only past the end. */
  read(at: number, length: number): Buffer;
}

export function bytesSource(data: Uint8Array): ZipSource {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { size: b.length, read: (at, length) => b.subarray(at, at + length) };
}

/** A file opened for reading; `close` it when done. */
export function fileSource(path: string): ZipSource & { close(): void } {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  return {
    size,
    read(at, length) {
      const b = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - at)));
      let got = 0;
      while (got < b.length) {
        const n = readSync(fd, b, got, b.length - got, at + got);
        if (n === 0) break;
        got += n;
      }
      return b.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

/** One entry of the central directory, its sizes already held to the limits. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  localAt: number;
}

export interface ZipDirectory {
  /** The entries by name, in the order of the central directory. */
  entries: Map<string, ZipEntryInfo>;
  /** Where the central directory starts: no entry's data may reach past it. */
  dirAt: number;
}

/** Entry name → uncompressed bytes, in the order of the central directory. */
export function readZip(data: Uint8Array, what: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Uint8Array> {
  const source = bytesSource(data);
  const dir = readDirectory(source, what, limits);
  const out = new Map<string, Uint8Array>();
  for (const e of dir.entries.values()) out.set(e.name, readEntry(source, dir, e, what));
  return out;
}

/** The central directory, checked: counts, sizes and names against the limits, nothing inflated yet. */
export function readDirectory(source: ZipSource, what: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipDirectory {
  const first = source.read(0, 4);
  if (first.length < 4 || first.readUInt32LE(0) !== LOCAL) {
    if (source.size >= 22 && first.length === 4 && first.readUInt32LE(0) === END) return { entries: new Map(), dirAt: 0 }; // an empty archive
    throw badFile(`${what}: not a zip archive (it does not start with "PK\\x03\\x04")`);
  }
  const tailAt = Math.max(0, source.size - 22 - U16_MAX);
  const tail = source.read(tailAt, source.size - tailAt);
  const endAt = findEnd(tail);
  if (endAt < 0) throw badFile(`${what}: truncated zip archive (no end-of-central-directory record)`);
  const end = tail.subarray(endAt, endAt + 22);
  let count = end.readUInt16LE(10);
  let dirSize = end.readUInt32LE(12);
  let dirAt = end.readUInt32LE(16);
  let endOffset = tailAt + endAt;
  if (end.readUInt16LE(4) !== 0 || end.readUInt16LE(6) !== 0 || end.readUInt16LE(8) !== count) {
    throw new TransferError('unsupported', `${what}: multi-volume zip archives are not supported`);
  }
  if (count === U16_MAX || dirSize === U32_MAX || dirAt === U32_MAX) {
    const z = readEnd64(source, endOffset, what);
    ({ count, dirSize, dirAt } = z);
    endOffset = z.at;
  }
  if (count > limits.maxEntries) throw new TransferError('too-large', `${what}: ${count} entries, over the limit of ${limits.maxEntries}`);
  if (dirAt + dirSize > endOffset)
    throw badFile(`${what}: the central directory (${dirSize} bytes at ${dirAt}) runs past the end record at ${endOffset}`);
  const b = source.read(dirAt, dirSize);
  const entries = new Map<string, ZipEntryInfo>();
  let total = 0;
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dirSize || b.readUInt32LE(p) !== CENTRAL) throw badFile(`${what}: central directory entry ${i} is damaged`);
    const flags = b.readUInt16LE(p + 8);
    const method = b.readUInt16LE(p + 10);
    const crc = b.readUInt32LE(p + 16);
    const nameLength = b.readUInt16LE(p + 28);
    const extraLength = b.readUInt16LE(p + 30);
    const skip = nameLength + extraLength + b.readUInt16LE(p + 32);
    if (p + 46 + skip > dirSize) throw badFile(`${what}: central directory entry ${i} runs past the directory`);
    const name = decodeName(b.subarray(p + 46, p + 46 + nameLength), `${what}: entry ${i}`);
    const where = `${what}: entry ${name}`;
    const sizes = zip64Fields(
      [b.readUInt32LE(p + 24), b.readUInt32LE(p + 20), b.readUInt32LE(p + 42)],
      b.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength),
      where,
    );
    p += 46 + skip;
    if (entries.has(name)) throw badFile(`${where} appears twice`);
    if (flags & 0x41) throw new TransferError('unsupported', `${where} is encrypted`);
    if (method !== 0 && method !== 8)
      throw new TransferError('unsupported', `${where} uses compression method ${method}; only stored (0) and deflate (8) are read`);
    const [size, compressed, localAt] = sizes;
    // Checked before anything is read: stored data is its size; deflate adds at most a few bytes per block.
    if (method === 0 ? compressed !== size : compressed > size + (size >> 10) + 1024) {
      throw badFile(
        `${where}: ${compressed} bytes cannot hold ${method === 0 ? 'exactly' : 'only'} ${size} bytes of ${method === 0 ? 'stored' : 'deflated'} data`,
      );
    }
    if (size > limits.maxEntryBytes)
      throw new TransferError('too-large', `${where} declares ${size} bytes, over the limit of ${limits.maxEntryBytes}`);
    total += size;
    if (total > limits.maxTotalBytes)
      throw new TransferError('too-large', `${what}: entries declare more than ${limits.maxTotalBytes} bytes in all`);
    entries.set(name, { name, method, crc, compressed, size, localAt });
  }
  return { entries, dirAt };
}

/** One entry's bytes, inflated no further than its declared size and checked against its CRC. */
export function readEntry(source: ZipSource, dir: ZipDirectory, e: ZipEntryInfo, what: string): Uint8Array {
  const where = `${what}: entry ${e.name}`;
  return extract(localBody(source, e, dir.dirAt, where), e.method, e.size, e.crc, where);
}

/** The end-of-central-directory record: the last signature within 64 KiB (its comment) of the end. */
function findEnd(b: Buffer): number {
  for (let i = b.length - 22; i >= 0; i--) {
    if (b.readUInt32LE(i) === END && i + 22 + b.readUInt16LE(i + 20) === b.length) return i;
  }
  return -1;
}

/** The zip64 end record, found through the locator just before the classic one. */
function readEnd64(source: ZipSource, endAt: number, what: string): { count: number; dirSize: number; dirAt: number; at: number } {
  const locator = endAt >= 20 ? source.read(endAt - 20, 20) : Buffer.alloc(0);
  if (locator.length < 20 || locator.readUInt32LE(0) !== END64_LOCATOR)
    throw badFile(`${what}: the end record asks for zip64 but there is no zip64 locator before it`);
  const at = safe(locator.readBigUInt64LE(8), `${what}: zip64 end record offset`);
  const rec = source.read(at, 56);
  if (at + 56 > endAt - 20 || rec.length < 56 || rec.readUInt32LE(0) !== END64)
    throw badFile(`${what}: no zip64 end record at offset ${at}`);
  const count = safe(rec.readBigUInt64LE(32), `${what}: zip64 entry count`);
  if (rec.readUInt32LE(16) !== 0 || rec.readUInt32LE(20) !== 0 || safe(rec.readBigUInt64LE(24), what) !== count) {
    throw new TransferError('unsupported', `${what}: multi-volume zip archives are not supported`);
  }
  return {
    count,
    dirSize: safe(rec.readBigUInt64LE(40), `${what}: zip64 directory size`),
    dirAt: safe(rec.readBigUInt64LE(48), `${what}: zip64 directory offset`),
    at,
  };
}

/** [size, compressed, offset] with each 0xffffffff replaced from the zip64 extra field, in that order. */
function zip64Fields(fields: number[], extra: Buffer, where: string): number[] {
  if (!fields.includes(U32_MAX)) return fields;
  let p = 0;
  while (p + 4 <= extra.length && extra.readUInt16LE(p) !== 0x0001) p += 4 + extra.readUInt16LE(p + 2);
  if (p + 4 > extra.length) throw badFile(`${where} needs zip64 sizes but has no zip64 extra field`);
  const end = p + 4 + extra.readUInt16LE(p + 2);
  let at = p + 4;
  return fields.map((v) => {
    if (v !== U32_MAX) return v;
    if (at + 8 > end || end > extra.length) throw badFile(`${where}: its zip64 extra field is too short`);
    const big = safe(extra.readBigUInt64LE(at), `${where}: a zip64 size`);
    at += 8;
    return big;
  });
}

function safe(v: bigint, where: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new TransferError('too-large', `${where}: ${v} is past 2^53`);
  return Number(v);
}

function localBody(source: ZipSource, e: ZipEntryInfo, dirAt: number, where: string): Buffer {
  const head = source.read(e.localAt, 30);
  if (e.localAt + 30 > dirAt || head.length < 30 || head.readUInt32LE(0) !== LOCAL)
    throw badFile(`${where}: no local header at offset ${e.localAt}`);
  if (head.readUInt16LE(26) !== Buffer.byteLength(e.name, 'utf8')) throw badFile(`${where}: the local header names a different file`);
  const start = e.localAt + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (start + e.compressed > dirAt) throw badFile(`${where}: its ${e.compressed} bytes run past the central directory (truncated?)`);
  return source.read(start, e.compressed);
}

function extract(body: Buffer, method: number, size: number, crc: number, where: string): Uint8Array {
  let data: Uint8Array;
  if (method === 0) data = body;
  else {
    try {
      // One byte of headroom: an entry that inflates past its declared size fails here, allocating no more.
      // One output buffer of that size: in pieces, zlib would join them into a copy (twice the memory).
      data = inflateRawSync(body, { maxOutputLength: size + 1, chunkSize: Math.max(64 * 1024, size + 1) });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE')
        throw new TransferError('too-large', `${where} inflates past its declared ${size} bytes (a zip bomb?)`);
      throw badFile(`${where}: deflate data is damaged (${(e as Error).message})`);
    }
    if (data.length !== size)
      throw badFile(`${where} inflates to ${data.length > size ? 'more than' : data.length} bytes, not the declared ${size}`);
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
