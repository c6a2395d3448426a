// Exports written beside their target and renamed into place: a disk that
// fills up, or an export that fails halfway, leaves the old file intact and
// no temporary file behind.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransferError } from '../../../main/transfer/errors';
import { writeFileAtomically, type WriteBytes } from '../../../main/transfer/save-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'save-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const chunks = (count: number, size: number) => Array.from({ length: count }, (_, i) => new Uint8Array(size).fill(i & 255));

/** fs.writeSync until `room` bytes are on the disk, then ENOSPC as a full disk answers. */
function diskWithRoom(room: number): WriteBytes {
  let used = 0;
  return (fd, buffer, offset, length) => {
    if (used >= room)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const n = writeSync(fd, buffer, offset, Math.min(length, room - used));
    used += n;
    return n;
  };
}

describe('writeFileAtomically', () => {
  it('writes the chunks in order and returns their size', async () => {
    const path = join(dir, 'run.rnnrun');
    expect(await writeFileAtomically(path, chunks(3, 1000))).toBe(3000);
    const back = readFileSync(path);
    expect([back.length, back[0], back[1000], back[2999]]).toEqual([3000, 0, 1, 2]);
    expect(readdirSync(dir)).toEqual(['run.rnnrun']);
  });

  it('on a full disk keeps the old file as it was and leaves no temporary file', async () => {
    const path = join(dir, 'run.rnnrun');
    writeFileSync(path, 'the old export');
    const error = await writeFileAtomically(path, chunks(10, 4096), diskWithRoom(10_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransferError);
    expect((error as TransferError).code).toBe('write-failed');
    expect((error as TransferError).message).toMatch(
      /^cannot write .*run\.rnnrun: ENOSPC: no space left on device, write \(after 8192 bytes; nothing was kept, and any old file is unchanged\)$/,
    );
    expect(readFileSync(path, 'utf8')).toBe('the old export');
    expect(readdirSync(dir)).toEqual(['run.rnnrun']);
  });

  it('when the export itself fails halfway, passes its error on and keeps the old file', async () => {
    const path = join(dir, 'metrics.csv');
    writeFileSync(path, 'old');
    function* failing(): Generator<Uint8Array> {
      yield new Uint8Array(100);
      throw new TransferError('bad-file', 'run 1: snapshot 200 vanished while exporting');
    }
    await expect(writeFileAtomically(path, failing())).rejects.toThrow('run 1: snapshot 200 vanished while exporting');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['metrics.csv']);
  });

  it('names the file when its folder does not exist', async () => {
    await expect(writeFileAtomically(join(dir, 'no', 'such', 'x.csv'), chunks(1, 1))).rejects.toThrow(/^cannot write .*x\.csv: ENOENT/);
  });
});
