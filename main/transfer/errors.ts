// The error every importer and exporter throws for a file it refuses or
// cannot write. It is an ApiError, so the handlers turn it into the
// contract's { ok: false, error: { code, message } } unchanged; the message
// always names the file (or the entry inside it) and what is wrong.

import { ApiError } from '../runs/errors';

export type TransferErrorCode =
  /** The bytes are not a well-formed file of the format (truncated, wrong magic, bad header). */
  | 'bad-file'
  /** Well formed, but uses something we do not read (a dtype, zip64, encryption, an unknown version). */
  | 'unsupported'
  /** Over a size limit (entry, archive, header, matrix): refused before reading it. */
  | 'too-large'
  /** The matrices do not fit the model of the config (missing, extra, wrong shape). */
  | 'shape-mismatch'
  /** NaN or ±Infinity among the weights. */
  | 'non-finite'
  /** An export could not be written where it was asked to go (the old file, if any, is unchanged). */
  | 'write-failed';

export class TransferError extends ApiError {
  constructor(code: TransferErrorCode, message: string) {
    super(code, message);
    this.name = 'TransferError';
  }
}

export const badFile = (message: string): TransferError => new TransferError('bad-file', message);
