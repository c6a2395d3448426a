import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../main/transfer/errors';
import { readZip, writeZip } from '../../../main/transfer/zip';

const text = (s: string) => Buffer.from(s, 'utf8');
const sample = () =>
  writeZip([
    { name: 'a.txt', data: text('hello '.repeat(100)), deflate: true },
    { name: 'dir/b.bin', data: Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 255) },
    { name: 'empty', data: new Uint8Array(0), deflate: true },
  ]);

function refused(f: () => unknown): TransferError {
  try {
    f();
  } catch (e) {
    if (e instanceof TransferError) return e;
    throw new Error(`expected a TransferError, got ${String(e)}`);
  }
  throw new Error('expected the archive to be refused');
}

/** A one-entry zip whose headers say `declared` bytes but whose deflate stream holds `body`. */
function lyingZip(body: Uint8Array, declared: number): Uint8Array {
  const z = Buffer.from(writeZip([{ name: 'x', data: new Uint8Array(declared), deflate: true }]));
  const dirAt = z.readUInt32LE(z.length - 6);
  const head = z.subarray(0, 31); // local header + the one-byte name
  const central = Buffer.from(z.subarray(dirAt, z.length - 22));
  const end = Buffer.from(z.subarray(z.length - 22));
  head.writeUInt32LE(body.length, 18);
  central.writeUInt32LE(body.length, 20);
  end.writeUInt32LE(31 + body.length, 16);
  return Buffer.concat([head, body, central, end]);
}

describe('zip', () => {
  it('reads back what it writes, stored and deflated, in order', () => {
    const files = readZip(sample(), 'sample.zip');
    expect([...files.keys()]).toEqual(['a.txt', 'dir/b.bin', 'empty']);
    expect(Buffer.from(files.get('a.txt')!).toString()).toBe('hello '.repeat(100));
    expect(Array.from(files.get('dir/b.bin')!)).toEqual(Array.from({ length: 300 }, (_, i) => (i * 37) & 255));
    expect(files.get('empty')!.length).toBe(0);
  });

  it('writes the same bytes for the same entries', () => {
    expect(Buffer.compare(Buffer.from(sample()), Buffer.from(sample()))).toBe(0);
  });

  it('refuses bytes that are not a zip, and a zip cut short', () => {
    expect(refused(() => readZip(text('{"U": 1}'), 'w.npz')).message).toMatch(/w\.npz: not a zip archive/);
    const z = sample();
    for (const cut of [10, 40, z.length - 30, z.length - 1]) {
      const e = refused(() => readZip(z.subarray(0, cut), 'cut.zip'));
      expect(e.code).toBe('bad-file');
      expect(e.message).toMatch(/^cut\.zip: /);
    }
  });

  it('detects damaged data by its CRC', () => {
    const z = Buffer.from(sample());
    const at = z.indexOf(Buffer.from([0, 37, 74])); // inside the stored entry
    z[at + 1] ^= 1;
    expect(refused(() => readZip(z, 'crc.zip')).message).toMatch(/crc\.zip: entry dir\/b\.bin: CRC-32 mismatch/);
  });

  it('stops a zip bomb at its declared size instead of inflating it', () => {
    const bomb = deflateRawSync(new Uint8Array(1 << 20)); // 1 MiB of zeros in about 1 KiB
    const e = refused(() => readZip(lyingZip(bomb, 1000), 'bomb.zip'));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/bomb\.zip: entry x inflates past its declared 1000 bytes/);
    // More compressed bytes than any deflate of the declared size needs: refused before reading them.
    const big = deflateRawSync(new Uint8Array(50 << 20));
    expect(refused(() => readZip(lyingZip(big, 1000), 'big.zip')).message).toBe(
      `big.zip: entry x: ${big.length} bytes cannot hold only 1000 bytes of deflated data`,
    );
  });

  it('refuses entries declaring more than the limits, before reading them', () => {
    const z = sample();
    expect(refused(() => readZip(z, 'big.zip', { maxEntries: 10, maxEntryBytes: 100, maxTotalBytes: 1e9 })).message).toMatch(
      /entry a\.txt declares 600 bytes, over the limit of 100/,
    );
    expect(refused(() => readZip(z, 'big.zip', { maxEntries: 10, maxEntryBytes: 1e9, maxTotalBytes: 700 })).message).toMatch(
      /entries declare more than 700 bytes in all/,
    );
    expect(refused(() => readZip(z, 'many.zip', { maxEntries: 2, maxEntryBytes: 1e9, maxTotalBytes: 1e9 })).message).toMatch(
      /3 entries, over the limit of 2/,
    );
  });

  it('names what it does not support: encryption, other methods, zip64', () => {
    const patchCentral = (at: number, value: number, width: 2 | 4) => {
      const z = Buffer.from(sample());
      const dirAt = z.readUInt32LE(z.length - 6);
      if (width === 2) z.writeUInt16LE(value, dirAt + at);
      else z.writeUInt32LE(value, dirAt + at);
      return z;
    };
    expect(refused(() => readZip(patchCentral(8, 0x0801, 2), 'e.zip')).message).toMatch(/entry a\.txt is encrypted/);
    expect(refused(() => readZip(patchCentral(10, 12, 2), 'm.zip')).message).toMatch(/compression method 12/);
    expect(refused(() => readZip(patchCentral(24, 0xffffffff, 4), 'z.zip')).message).toMatch(/needs zip64/);
  });

  it('refuses a name that appears twice', () => {
    const one = writeZip([{ name: 'a', data: text('1') }]);
    const two = writeZip([
      { name: 'a', data: text('1') },
      { name: 'b', data: text('2') },
    ]);
    const z = Buffer.from(two);
    const dirAt = z.readUInt32LE(z.length - 6);
    z[dirAt + 46 + 1 + 46] = 'a'.charCodeAt(0); // second central entry's name
    expect(refused(() => readZip(z, 'dup.zip')).message).toMatch(/entry a appears twice/);
    expect(readZip(one, 'one.zip').size).toBe(1);
  });
});
