// Writing an export to a file without ever destroying the old one: the
// bytes go to a temporary file in the same folder, which is flushed to disk
// and then renamed over the target (atomic on one file system). On any
// error (a full disk, a stream that fails halfway) the temporary file is
// removed and the target is as it was. The event loop turns between
// chunks, so the desktop app's main process and serve mode stay responsive
// while a long run is written.

import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { TransferError } from './errors';

/** fs.writeSync's shape: how many bytes of buffer[offset, offset + length) it wrote. */
export type WriteBytes = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/** Writes the chunks to `path` through a temporary sibling; resolves to the bytes written. */
export async function writeFileAtomically(path: string, chunks: Iterable<Uint8Array>, write: WriteBytes = writeSync): Promise<number> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o644);
  } catch (e) {
    throw new TransferError('write-failed', `cannot write ${path}: ${(e as Error).message}`);
  }
  let bytes = 0;
  try {
    for (const chunk of chunks) {
      for (let at = 0; at < chunk.byteLength;) at += write(fd, chunk, at, chunk.byteLength - at);
      bytes += chunk.byteLength;
      await new Promise((resolve) => setImmediate(resolve));
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    if (typeof (e as NodeJS.ErrnoException).syscall !== 'string') throw e; // the export's own error, not the file's
    throw new TransferError(
      'write-failed',
      `cannot write ${path}: ${(e as Error).message} (after ${bytes} bytes; nothing was kept, and any old file is unchanged)`,
    );
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (e) {
    unlinkSync(temp);
    throw new TransferError('write-failed', `cannot write ${path}: ${(e as Error).message}`);
  }
  return bytes;
}
