// The one error type the store throws on purpose. Callers map it to a
// WireError ({code, message}) at the process boundary; anything else that
// escapes the store is a bug.

export type StoreErrorCode =
  /** The file or its folder cannot be read or written (permissions, missing folder, locked). */
  | 'cannot-open'
  /** The file exists but is not an SQLite database (random bytes, text). */
  | 'not-a-database'
  /** An SQLite database written by some other application. */
  | 'foreign-database'
  /** Our database, written by a newer build with a schema this one does not know. */
  | 'newer-schema'
  /** Our database, at an older schema version, opened read-only (so it cannot be migrated). */
  | 'needs-migration'
  /** The file or its folder cannot be written, for a command that writes. */
  | 'read-only'
  /** Our database, but damaged or missing tables this schema requires. */
  | 'corrupt'
  /** A migration threw; its transaction was rolled back and the file left at the previous version. */
  | 'migration-failed'
  /** A run id that does not exist (or no longer does). */
  | 'no-such-run'
  /** A run that another live process trains (its owner is named in the message). */
  | 'owned-elsewhere'
  /** An argument or a progress batch that breaks the store's rules. */
  | 'invalid-input'
  /** A checkpoint with NaN or ±Infinity in its weights or optimizer state. */
  | 'non-finite-checkpoint'
  /** A value read back from the file that does not have the shape we wrote. */
  | 'bad-row';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
