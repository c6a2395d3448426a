import { describe, expect, it } from 'vitest';
import type { MatrixName } from '../../../common/contract';
import { TransferError } from '../../../main/transfer/errors';
import type { NdArray } from '../../../main/transfer/npy';
import { decodeSafetensors, encodeSafetensors } from '../../../main/transfer/safetensors';
import { bits } from './fixtures';

const arrays = new Map<MatrixName, NdArray>([
  ['U', { shape: [2, 1], data: Float64Array.from([0.25, -0]), dtype: 'float64' }],
  ['W', { shape: [2, 2], data: Float64Array.from([1, 2, 3, 5e-324]), dtype: 'float64' }],
  ['b', { shape: [2], data: Float64Array.from([0.5, -0.5]), dtype: 'float64' }],
]);

/** A file from a header object and a data section, the way any writer would lay it out. */
function file(header: unknown, data: Uint8Array, declared?: bigint): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(declared ?? BigInt(json.length));
  return Buffer.concat([len, json, data]);
}

function refused(f: () => unknown): TransferError {
  try {
    f();
  } catch (e) {
    if (e instanceof TransferError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('safetensors', () => {
  it('round-trips tensors bit for bit with string metadata, data 8-byte aligned', () => {
    const bytes = encodeSafetensors(arrays, { config: '{"seed":1}', step: '3' });
    const headerLength = Number(Buffer.from(bytes).readBigUInt64LE(0));
    expect(headerLength % 8).toBe(0);
    const back = decodeSafetensors(bytes, 'w.safetensors');
    expect(back.metadata).toEqual({ config: '{"seed":1}', step: '3' });
    for (const [name, a] of arrays) {
      expect(back.arrays.get(name)!.shape).toEqual(a.shape);
      expect(bits(back.arrays.get(name)!.data)).toBe(bits(a.data));
    }
  });

  it('writes F32 when asked, and reads it back exactly', () => {
    const f32 = new Map<MatrixName, NdArray>([
      ['U', { shape: [1, 2], data: Float64Array.from([0.1, 3]).map(Math.fround), dtype: 'float32' }],
    ]);
    const back = decodeSafetensors(encodeSafetensors(f32, {}), 'f.safetensors').arrays.get('U')!;
    expect(back.dtype).toBe('float32');
    expect(Array.from(back.data)).toEqual([Math.fround(0.1), 3]);
  });

  it('refuses truncated files and a header length past the end', () => {
    const good = encodeSafetensors(arrays, {});
    expect(refused(() => decodeSafetensors(good.subarray(0, 5), 't.safetensors')).message).toMatch(
      /t\.safetensors: truncated safetensors file \(5 bytes/,
    );
    expect(refused(() => decodeSafetensors(good.subarray(0, 30), 't.safetensors')).message).toMatch(
      /truncated safetensors file \(a \d+-byte header declared/,
    );
    expect(refused(() => decodeSafetensors(good.subarray(0, good.length - 8), 't.safetensors')).message).toMatch(
      /tensor "b": data_offsets \[48, 64\] lie outside the 56 bytes of data \(truncated\?\)/,
    );
  });

  it('refuses a huge header before reading it', () => {
    const e = refused(() => decodeSafetensors(file({}, new Uint8Array(0), 1n << 40n), 'h.safetensors'));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/a safetensors header of 1099511627776 bytes/);
  });

  it('refuses headers that are not JSON objects, and unknown dtypes', () => {
    expect(
      refused(() => decodeSafetensors(Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('[1,2]')]), 'a.safetensors'))
        .message,
    ).toMatch(/not a safetensors file/);
    expect(
      refused(() => decodeSafetensors(Buffer.concat([Buffer.from([4, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"U"')]), 'j.safetensors'))
        .message,
    ).toMatch(/header: not valid JSON/);
    const e = refused(() =>
      decodeSafetensors(file({ U: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(4)), 'bf.safetensors'),
    );
    expect(e.code).toBe('unsupported');
    expect(e.message).toMatch(/tensor "U": dtype BF16 is not supported/);
  });

  it('refuses offsets that leave gaps, overlap, or disagree with the shape', () => {
    const t = (begin: number, end: number, shape = [1]) => ({ dtype: 'F64', shape, data_offsets: [begin, end] });
    const data = new Uint8Array(16);
    expect(refused(() => decodeSafetensors(file({ U: t(0, 8), W: t(8, 8, [0]), V: t(8, 8, [0]) }, data), 'g.safetensors')).message).toMatch(
      /cover 8 bytes but 16 bytes/,
    );
    expect(refused(() => decodeSafetensors(file({ U: t(0, 8), W: t(4, 12) }, data), 'o.safetensors')).message).toMatch(
      /tensor "W" starts at byte 4 of the data, expected 8/,
    );
    expect(refused(() => decodeSafetensors(file({ U: t(0, 16) }, data), 's.safetensors')).message).toMatch(
      /shape \[1\] of F64 needs 8 bytes, data_offsets give 16/,
    );
    expect(refused(() => decodeSafetensors(file({ __metadata__: { step: 3 } }, new Uint8Array(0)), 'm.safetensors')).message).toMatch(
      /__metadata__\.step is not a string/,
    );
  });
});
