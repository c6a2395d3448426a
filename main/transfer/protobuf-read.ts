// A minimal protocol-buffers reader, the counterpart of protobuf.ts: a
// message becomes its fields by number, each value a number (varint), or a
// view of its bytes (length-delimited, fixed 64 and 32 bits). Every length
// and varint is checked against the bytes that remain before it is used,
// so a truncated or hostile file is refused with the path of the field,
// never read past its end. Groups (wire types 3 and 4) are refused.

import { badFile } from './errors';

export type PbValue = number | Uint8Array;
export type PbMessage = Map<number, PbValue[]>;

const WORDS: Record<number, number> = { 1: 8, 5: 4 };

/** The varint at `at`: its value and where the next field starts. */
function readVarint(bytes: Uint8Array, at: number, where: string): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at >= bytes.length) throw badFile(`${where}: truncated (a number runs past the end of the message)`);
    const b = bytes[at++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      if (!Number.isSafeInteger(value)) throw badFile(`${where}: a number over 2^53 where sizes and counts are expected`);
      return [value, at];
    }
    scale *= 0x80;
  }
  throw badFile(`${where}: a number longer than 10 bytes`);
}

/** The fields of one message; `where` names it in messages ("model.graph.node[3]"). */
export function readMessage(bytes: Uint8Array, where: string): PbMessage {
  const fields: PbMessage = new Map();
  let at = 0;
  let key: number;
  while (at < bytes.length) {
    [key, at] = readVarint(bytes, at, where);
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw badFile(`${where}: field number 0 at byte ${at}`);
    let value: PbValue;
    if (wire === 0) [value, at] = readVarint(bytes, at, where);
    else if (wire === 2 || wire in WORDS) {
      let length = WORDS[wire];
      if (wire === 2) [length, at] = readVarint(bytes, at, where);
      if (length > bytes.length - at)
        throw badFile(`${where}: field ${field} declares ${length} bytes, only ${bytes.length - at} remain (truncated?)`);
      value = bytes.subarray(at, at + length);
      at += length;
    } else throw badFile(`${where}: field ${field} has wire type ${wire}, which this reader does not accept`);
    const list = fields.get(field);
    if (list) list.push(value);
    else fields.set(field, [value]);
  }
  return fields;
}

/** Every value of a length-delimited field (strings, bytes, sub-messages). */
export function bytesFields(m: PbMessage, field: number, where: string): Uint8Array[] {
  return (m.get(field) ?? []).map((v) => {
    if (typeof v === 'number') throw badFile(`${where}: field ${field} is a number where bytes are expected`);
    return v;
  });
}

/** Every value of a varint field, packed (varints back to back in one length-delimited run) or not. */
export function intFields(m: PbMessage, field: number, where: string): number[] {
  const out: number[] = [];
  for (const v of m.get(field) ?? []) {
    if (typeof v === 'number') out.push(v);
    else {
      let at = 0;
      let x: number;
      while (at < v.length) {
        [x, at] = readVarint(v, at, `${where}: field ${field}`);
        out.push(x);
      }
    }
  }
  return out;
}

/** The single value of a varint field; `fallback` when absent (proto3 omits zeros). */
export function intField(m: PbMessage, field: number, where: string, fallback = 0): number {
  const all = intFields(m, field, where);
  if (all.length > 1) throw badFile(`${where}: field ${field} appears ${all.length} times; it holds one value`);
  return all[0] ?? fallback;
}

/** The single value of a string field, '' when absent; refuses bytes that are not UTF-8. */
export function stringField(m: PbMessage, field: number, where: string): string {
  const all = bytesFields(m, field, where);
  if (all.length > 1) throw badFile(`${where}: field ${field} appears ${all.length} times; it holds one value`);
  return all.length ? utf8(all[0], where) : '';
}

export function utf8(b: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    throw badFile(`${where}: a string that is not UTF-8 text`);
  }
}
