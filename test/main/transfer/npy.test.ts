import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../main/transfer/errors';
import { decodeNpy, encodeNpy } from '../../../main/transfer/npy';
import { bits } from './fixtures';

const awkward = [0.1, -0, 5e-324, -1.7976931348623157e308, 1 / 3, 2 ** -1074 * 3];

function npy(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const h = Buffer.from(header, 'latin1');
  const prefix = version === 1 ? 10 : 12;
  const out = Buffer.alloc(prefix + h.length + data.length);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(out);
  if (version === 1) out.writeUInt16LE(h.length, 8);
  else out.writeUInt32LE(h.length, 8);
  h.copy(out, prefix);
  Buffer.from(data).copy(out, prefix + h.length);
  return out;
}

function refused(f: () => unknown): TransferError {
  try {
    f();
  } catch (e) {
    if (e instanceof TransferError) return e;
    throw e;
  }
  throw new Error('expected the array to be refused');
}

describe('npy', () => {
  it('round-trips float64 bit for bit, and float32 to the float32 values', () => {
    const f64 = decodeNpy(encodeNpy([2, 3], awkward, 'float64'), 'a.npy');
    expect(f64.shape).toEqual([2, 3]);
    expect(f64.dtype).toBe('float64');
    expect(bits(f64.data)).toBe(bits(awkward));
    const f32 = decodeNpy(encodeNpy([6], awkward, 'float32'), 'a.npy');
    expect(f32.shape).toEqual([6]);
    expect(bits(f32.data)).toBe(bits(awkward.map(Math.fround)));
  });

  it('writes the header numpy writes: version 1.0, dict literal, data aligned to 64 bytes', () => {
    const b = encodeNpy([3], [1, 2, 3], 'float64');
    const headerLength = Buffer.from(b).readUInt16LE(8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(Buffer.from(b.subarray(10, 10 + headerLength)).toString('latin1')).toMatch(
      /^\{'descr': '<f8', 'fortran_order': False, 'shape': \(3,\), \} *\n$/,
    );
  });

  it('reads big-endian and Fortran-ordered arrays as row-major values', () => {
    const be = Buffer.alloc(16);
    be.writeDoubleBE(1.5, 0);
    be.writeDoubleBE(-2, 8);
    expect(Array.from(decodeNpy(npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }\n", be), 'be.npy').data)).toEqual([1.5, -2]);
    const col = Buffer.from(new Float64Array([1, 4, 2, 5, 3, 6]).buffer); // [[1,2,3],[4,5,6]] column-major
    const f = decodeNpy(npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n", col), 'f.npy');
    expect(Array.from(f.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses a wrong magic, a truncated header or data, and trailing bytes, saying which', () => {
    expect(refused(() => decodeNpy(Buffer.from('PK\x03\x04 not npy'), 'x.npy')).message).toMatch(/x\.npy: not a \.npy array \(wrong magic/);
    const good = encodeNpy([2, 2], [1, 2, 3, 4], 'float64');
    expect(refused(() => decodeNpy(good.subarray(0, 40), 'h.npy')).message).toMatch(/h\.npy: truncated \.npy header/);
    expect(refused(() => decodeNpy(good.subarray(0, good.length - 3), 'd.npy')).message).toMatch(
      /needs 32 bytes of data, the file has 29 \(truncated\)/,
    );
    const longer = Buffer.concat([good, Buffer.alloc(8)]);
    expect(refused(() => decodeNpy(longer, 't.npy')).message).toMatch(/needs 32 bytes of data, the file has 40$/);
  });

  it('refuses a huge header before reading it', () => {
    const e = refused(() =>
      decodeNpy(
        npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", new Uint8Array(8), 2).map((v, i) =>
          i >= 8 && i < 12 ? [0, 0, 0, 0x40][i - 8] : v,
        ),
        'huge.npy',
      ),
    );
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/huge\.npy: a \.npy header of 1073741824 bytes/);
  });

  it('names unsupported dtypes, ranks and versions', () => {
    const header = (descr: string, shape = '(2,)') => `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }\n`;
    for (const descr of ['<i4', '<f2', '|u1', '<c16', '|O']) {
      const e = refused(() => decodeNpy(npy(header(descr), new Uint8Array(64)), 'dt.npy'));
      expect(e.code).toBe('unsupported');
      expect(e.message).toContain(`dtype '${descr}' is not supported`);
    }
    expect(refused(() => decodeNpy(npy(header('<f8', '(1, 1, 2)'), new Uint8Array(16)), 'r.npy')).message).toMatch(/a 3-D array/);
    expect(refused(() => decodeNpy(npy(header('<f8'), new Uint8Array(16), 7), 'v.npy')).message).toMatch(
      /format version 7\.0 is not supported/,
    );
  });

  it('refuses headers that are not the dict numpy writes', () => {
    for (const h of [
      "{'descr': '<f8', 'shape': (2,), }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}",
      "['<f8']",
      "{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,)}",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2), }",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }",
    ]) {
      expect(refused(() => decodeNpy(npy(h + '\n', new Uint8Array(16)), 'bad.npy')).message).toMatch(/^bad\.npy: bad \.npy header/);
    }
  });
});
