// Writing zips (PKWARE APPNOTE 6.3) as a stream of byte chunks, so an
// archive of any size passes through constant memory: an entry whose bytes
// are known is written with its sizes in the local header; an entry given
// as an iterable of chunks (the JSON lines of a long run) is deflated chunk
// by chunk and followed by a data descriptor with its CRC and sizes. Zip64
// records appear only where the classic fields overflow: a streamed entry
// always declares zip64 sizes (its size is not known up front), the central
// directory uses them for sizes or offsets past 4 GiB, and the end records
// for more than 65,535 entries. Writing is deterministic (fixed timestamps,
// entries in the given order), so the same export gives the same bytes.

import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** The entry's bytes, or its bytes as chunks produced on demand. */
  data: Uint8Array | Iterable<Uint8Array>;
  /** Deflate this entry (text compresses well; float matrices barely do). */
  deflate?: boolean;
}

export const LOCAL = 0x04034b50;
export const CENTRAL = 0x02014b50;
export const END = 0x06054b50;
export const END64 = 0x06064b50;
export const END64_LOCATOR = 0x07064b50;
const DESCRIPTOR = 0x08074b50;
export const U16_MAX = 0xffff;
export const U32_MAX = 0xffffffff;
const UTF8_NAMES = 0x0800;
const HAS_DESCRIPTOR = 0x0008;
const ZIP64_TAG = 0x0001;
/** MS-DOS date of 1980-01-01, the earliest a zip can hold: a fixed stamp keeps exports reproducible. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** Streamed data is deflated in pieces of at least this much (each piece ends on a sync flush). */
const DEFLATE_PIECE = 256 * 1024;

interface Written {
  name: Buffer;
  method: number;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
}

/** The zip's bytes, chunk by chunk; nothing but the central directory (about 100 bytes an entry) is kept. */
export function* zipChunks(entries: Iterable<ZipEntry>): Generator<Uint8Array> {
  const names = new Set<string>();
  const written: Written[] = [];
  let offset = 0;
  for (const e of entries) {
    if (names.has(e.name)) throw new RangeError(`zip: duplicate entry name ${e.name}`);
    names.add(e.name);
    const name = Buffer.from(e.name, 'utf8');
    const method = e.deflate ? 8 : 0;
    if (e.data instanceof Uint8Array) {
      const body = e.deflate ? deflateRawSync(e.data, { level: 6 }) : e.data;
      const w: Written = {
        name,
        method,
        flags: UTF8_NAMES,
        crc: crc32(e.data) >>> 0,
        compressed: body.byteLength,
        size: e.data.byteLength,
        offset,
      };
      const local = localHeader(w, false);
      yield local;
      yield body;
      offset += local.length + body.byteLength;
      written.push(w);
    } else {
      const w: Written = { name, method, flags: UTF8_NAMES | HAS_DESCRIPTOR, crc: 0, compressed: 0, size: 0, offset };
      const local = localHeader(w, true);
      yield local;
      offset += local.length;
      for (const piece of pieces(e.data, e.deflate === true)) {
        // zlib's crc32 answers 0 for an empty buffer without storage (Buffer.concat([])), whatever the running value.
        if (piece.raw.byteLength > 0) w.crc = crc32(piece.raw, w.crc) >>> 0;
        w.size += piece.raw.byteLength;
        w.compressed += piece.body.byteLength;
        if (piece.body.byteLength > 0) yield piece.body;
      }
      offset += w.compressed;
      const descriptor = Buffer.alloc(24);
      descriptor.writeUInt32LE(DESCRIPTOR, 0);
      descriptor.writeUInt32LE(w.crc, 4);
      descriptor.writeBigUInt64LE(BigInt(w.compressed), 8);
      descriptor.writeBigUInt64LE(BigInt(w.size), 16);
      yield descriptor;
      offset += descriptor.length;
      written.push(w);
    }
  }
  const dirAt = offset;
  for (const w of written) {
    const dir = centralHeader(w);
    yield dir;
    offset += dir.length;
  }
  yield* endRecords(written.length, offset - dirAt, dirAt);
}

/** A zip held in memory: for small files (a snapshot's matrices), never for a run's history. */
export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  return Buffer.concat([...zipChunks(entries)]);
}

/**
 * The entry's chunks gathered into pieces and, when deflating, each piece
 * compressed on its own and ended with a sync flush (a whole number of
 * deflate blocks), the last with the final block: their concatenation is
 * one valid deflate stream.
 */
function* pieces(chunks: Iterable<Uint8Array>, deflate: boolean): Generator<{ raw: Uint8Array; body: Uint8Array }> {
  let held: Uint8Array[] = [];
  let size = 0;
  const flush = (last: boolean) => {
    const raw = held.length === 1 ? held[0] : Buffer.concat(held);
    held = [];
    size = 0;
    const body = deflate ? deflateRawSync(raw, { level: 6, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH }) : raw;
    return { raw, body };
  };
  for (const c of chunks) {
    held.push(c);
    size += c.byteLength;
    if (size >= DEFLATE_PIECE) yield flush(false);
  }
  yield flush(true);
}

/** The local header with the entry's name and, for a streamed entry, its zip64 extra field. */
function localHeader(w: Written, streamed: boolean): Buffer {
  const b = Buffer.alloc(30 + w.name.length + (streamed ? 20 : 0));
  b.writeUInt32LE(LOCAL, 0);
  b.writeUInt16LE(streamed ? 45 : 20, 4); // version needed: 4.5 (zip64) or 2.0 (deflate)
  b.writeUInt16LE(w.flags, 6);
  b.writeUInt16LE(w.method, 8);
  b.writeUInt16LE(0, 10); // time 00:00:00
  b.writeUInt16LE(DOS_DATE, 12);
  if (streamed) {
    // CRC and sizes follow the data; the sizes are zip64 (APPNOTE 4.3.9.1), so the header says 0xffffffff.
    b.writeUInt32LE(U32_MAX, 18);
    b.writeUInt32LE(U32_MAX, 22);
    b.writeUInt16LE(20, 28);
    b.writeUInt16LE(ZIP64_TAG, 30 + w.name.length);
    b.writeUInt16LE(16, 32 + w.name.length); // two zero sizes follow
  } else {
    b.writeUInt32LE(w.crc, 14);
    b.writeUInt32LE(w.compressed, 18);
    b.writeUInt32LE(w.size, 22);
  }
  b.writeUInt16LE(w.name.length, 26);
  w.name.copy(b, 30);
  return b;
}

function centralHeader(w: Written): Buffer {
  const big = [w.size, w.compressed, w.offset].map((v) => v >= U32_MAX);
  const extra = big.filter(Boolean).length * 8;
  const zip64 = extra > 0 || (w.flags & HAS_DESCRIPTOR) !== 0;
  const b = Buffer.alloc(46 + w.name.length + (extra ? 4 + extra : 0));
  b.writeUInt32LE(CENTRAL, 0);
  b.writeUInt16LE(zip64 ? 45 : 20, 4); // version made by (MS-DOS attributes)
  b.writeUInt16LE(zip64 ? 45 : 20, 6); // version needed
  b.writeUInt16LE(w.flags, 8);
  b.writeUInt16LE(w.method, 10);
  b.writeUInt16LE(0, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(w.crc, 16);
  b.writeUInt32LE(big[1] ? U32_MAX : w.compressed, 20);
  b.writeUInt32LE(big[0] ? U32_MAX : w.size, 24);
  b.writeUInt16LE(w.name.length, 28);
  b.writeUInt16LE(extra ? 4 + extra : 0, 30);
  b.writeUInt32LE(big[2] ? U32_MAX : w.offset, 42);
  w.name.copy(b, 46);
  if (extra) {
    let at = 46 + w.name.length;
    b.writeUInt16LE(ZIP64_TAG, at);
    b.writeUInt16LE(extra, at + 2);
    at += 4;
    // Only the overflowing fields, in the order APPNOTE 4.5.3 gives: size, compressed size, offset.
    for (const [i, v] of [w.size, w.compressed, w.offset].entries()) {
      if (!big[i]) continue;
      b.writeBigUInt64LE(BigInt(v), at);
      at += 8;
    }
  }
  return b;
}

/** The end of central directory record, preceded by the zip64 record and its locator when a field overflows. */
function* endRecords(count: number, dirSize: number, dirAt: number): Generator<Uint8Array> {
  const zip64 = count >= U16_MAX || dirSize >= U32_MAX || dirAt >= U32_MAX;
  if (zip64) {
    const rec = Buffer.alloc(56 + 20);
    rec.writeUInt32LE(END64, 0);
    rec.writeBigUInt64LE(44n, 4); // the record's size after this field
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(count), 24);
    rec.writeBigUInt64LE(BigInt(count), 32);
    rec.writeBigUInt64LE(BigInt(dirSize), 40);
    rec.writeBigUInt64LE(BigInt(dirAt), 48);
    rec.writeUInt32LE(END64_LOCATOR, 56);
    rec.writeBigUInt64LE(BigInt(dirAt + dirSize), 64); // where the zip64 record starts
    rec.writeUInt32LE(1, 72); // one disk in all
    yield rec;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(Math.min(count, U16_MAX), 8);
  end.writeUInt16LE(Math.min(count, U16_MAX), 10);
  end.writeUInt32LE(Math.min(dirSize, U32_MAX), 12);
  end.writeUInt32LE(Math.min(dirAt, U32_MAX), 16);
  yield end;
}
