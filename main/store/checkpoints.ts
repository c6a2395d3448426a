// Weight snapshots: enough to rebuild a Checkpoint bit for bit. Matrices,
// optimizer buffers, the carry, the PRNG states and the spectral estimate's
// start direction are float64 LE blobs (the
// PRNG's fifth word is a cached normal that is NaN when empty, so it cannot
// go through a REAL column). Weights, optimizer state and carry must be
// finite: a NaN there means the run diverged, and resuming from it is
// pointless, so such a checkpoint is refused rather than stored.

import type Database from 'better-sqlite3';
import type { Checkpoint, MatrixData, MatrixName, Weights } from '../../common/contract';
import { decodeF64, encodeF64, firstNonFinite } from './blob';
import { StoreError } from './errors';
import { MATRIX_NAMES } from '../../common/values';
import type { SnapshotInfo } from './types';

interface SnapshotRow {
  step: number;
  baseLr: number;
  optimizerT: number;
  rng: Buffer;
  carry: Buffer | null;
  spectralRng: Buffer | null;
  spectralStart: Buffer | null;
}

export class Checkpoints {
  private readonly deleteOne;
  private readonly insertSnapshot;
  private readonly insertMatrix;
  private readonly insertBuffer;
  private readonly latestRow;
  private readonly rowAtOrBefore;
  private readonly matricesOf;
  private readonly buffersOf;
  private readonly listOf;
  private readonly deleteAfterStep;

  constructor(db: Database.Database) {
    this.deleteOne = db.prepare('DELETE FROM snapshots WHERE run_id = ? AND step = ?');
    this.insertSnapshot = db.prepare(
      'INSERT INTO snapshots (run_id, step, created_at, base_lr, optimizer_t, rng, carry, spectral_rng, spectral_start) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertMatrix = db.prepare('INSERT INTO snapshot_matrices (run_id, step, name, rows, cols, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertBuffer = db.prepare('INSERT INTO snapshot_optimizer_buffers (run_id, step, position, data) VALUES (?, ?, ?, ?)');
    const columns =
      'step, base_lr AS baseLr, optimizer_t AS optimizerT, rng, carry, spectral_rng AS spectralRng, spectral_start AS spectralStart';
    this.latestRow = db.prepare<[number], SnapshotRow>(`SELECT ${columns} FROM snapshots WHERE run_id = ? ORDER BY step DESC LIMIT 1`);
    this.rowAtOrBefore = db.prepare<[number, number], SnapshotRow>(
      `SELECT ${columns} FROM snapshots WHERE run_id = ? AND step <= ? ORDER BY step DESC LIMIT 1`,
    );
    this.matricesOf = db.prepare<[number, number], { name: string; rows: number; cols: number; data: Buffer }>(
      'SELECT name, rows, cols, data FROM snapshot_matrices WHERE run_id = ? AND step = ?',
    );
    this.buffersOf = db.prepare<[number, number], { position: number; data: Buffer }>(
      'SELECT position, data FROM snapshot_optimizer_buffers WHERE run_id = ? AND step = ? ORDER BY position',
    );
    this.listOf = db.prepare<[number], SnapshotInfo>(
      `SELECT s.step, s.created_at AS createdAt, s.base_lr AS baseLr,
         coalesce(length(s.carry), 0) + coalesce(length(s.spectral_start), 0)
         + (SELECT coalesce(sum(length(m.data)), 0) FROM snapshot_matrices m WHERE m.run_id = s.run_id AND m.step = s.step)
         + (SELECT coalesce(sum(length(b.data)), 0) FROM snapshot_optimizer_buffers b WHERE b.run_id = s.run_id AND b.step = s.step)
         AS bytes
       FROM snapshots s WHERE s.run_id = ? ORDER BY s.step`,
    );
    this.deleteAfterStep = db.prepare('DELETE FROM snapshots WHERE run_id = ? AND step > ?');
  }

  /** Stores the checkpoint, replacing one already stored at the same step. Call inside a transaction. */
  save(runId: number, cp: Checkpoint, createdAt: number, where = 'checkpoint'): void {
    checkCheckpoint(cp, where);
    this.deleteOne.run(runId, cp.step);
    this.insertSnapshot.run(
      runId,
      cp.step,
      createdAt,
      cp.baseLr,
      cp.optimizer.t,
      encodeF64(cp.rng),
      cp.carry === null ? null : encodeF64(cp.carry),
      cp.spectral == null ? null : encodeF64(cp.spectral.rng),
      cp.spectral?.start == null ? null : encodeF64(cp.spectral.start),
    );
    for (const name of MATRIX_NAMES) {
      const m = cp.weights[name];
      if (m !== undefined) this.insertMatrix.run(runId, cp.step, name, m.rows, m.cols, encodeF64(m.data));
    }
    cp.optimizer.buffers.forEach((b, position) => this.insertBuffer.run(runId, cp.step, position, encodeF64(b)));
  }

  latest(runId: number): Checkpoint | null {
    const row = this.latestRow.get(runId);
    return row === undefined ? null : this.build(runId, row);
  }

  /** The snapshot at `step`, or the last one before it. */
  atOrBefore(runId: number, step: number): Checkpoint | null {
    const row = this.rowAtOrBefore.get(runId, step);
    return row === undefined ? null : this.build(runId, row);
  }

  list(runId: number): SnapshotInfo[] {
    return this.listOf.all(runId);
  }

  deleteAfter(runId: number, step: number): void {
    this.deleteAfterStep.run(runId, step);
  }

  private build(runId: number, row: SnapshotRow): Checkpoint {
    const where = `snapshot of run ${runId} at step ${row.step}`;
    const weights: Partial<Record<MatrixName, MatrixData>> = {};
    for (const m of this.matricesOf.all(runId, row.step)) {
      weights[m.name as MatrixName] = { rows: m.rows, cols: m.cols, data: decodeF64(m.data, `${where}, matrix ${m.name}`) };
    }
    if (weights.U === undefined || weights.W === undefined || weights.V === undefined) {
      throw new StoreError('bad-row', `${where} lacks one of the matrices U, W, V`);
    }
    const buffers = this.buffersOf.all(runId, row.step).map((b, i) => {
      if (b.position !== i) throw new StoreError('bad-row', `${where} lacks optimizer buffer ${i}`);
      return decodeF64(b.data, `${where}, optimizer buffer ${i}`);
    });
    return {
      step: row.step,
      baseLr: row.baseLr,
      weights: weights as Weights,
      optimizer: { t: row.optimizerT, buffers },
      rng: Array.from(decodeF64(row.rng, `${where}, rng`)),
      carry: row.carry === null ? null : decodeF64(row.carry, `${where}, carry`),
      spectral:
        row.spectralRng === null
          ? null
          : {
              rng: Array.from(decodeF64(row.spectralRng, `${where}, spectral estimate rng`)),
              start: row.spectralStart === null ? null : decodeF64(row.spectralStart, `${where}, spectral estimate start`),
            },
    };
  }
}

function checkCheckpoint(cp: Checkpoint, where: string): void {
  const invalid = (msg: string): StoreError => new StoreError('invalid-input', `${where}: ${msg}`);
  if (!Number.isSafeInteger(cp.step) || cp.step < 0) throw invalid(`step ${cp.step} is not a non-negative integer`);
  if (typeof cp.baseLr !== 'number' || !Number.isFinite(cp.baseLr)) {
    throw new StoreError('non-finite-checkpoint', `${where}: baseLr is ${cp.baseLr}, not a finite number`);
  }
  if (cp.weights === null || typeof cp.weights !== 'object') throw invalid('weights is missing');
  for (const key of Object.keys(cp.weights)) {
    if (!MATRIX_NAMES.includes(key as MatrixName)) throw invalid(`weights.${key} is not a matrix U, W, V, b or c`);
  }
  for (const name of MATRIX_NAMES) {
    const m = cp.weights[name];
    if (m === undefined) {
      if (name === 'U' || name === 'W' || name === 'V') throw invalid(`weights.${name} is missing`);
      continue;
    }
    if (!Number.isSafeInteger(m.rows) || !Number.isSafeInteger(m.cols) || m.rows < 0 || m.cols < 0) {
      throw invalid(`weights.${name} has shape ${m.rows}×${m.cols}`);
    }
    if (!(m.data instanceof Float64Array || Array.isArray(m.data)) || m.data.length !== m.rows * m.cols) {
      throw invalid(`weights.${name}.data must hold ${m.rows}×${m.cols} = ${m.rows * m.cols} numbers`);
    }
    checkFinite(m.data, `${where}: weights.${name}.data`);
  }
  if (!Number.isSafeInteger(cp.optimizer?.t) || cp.optimizer.t < 0) {
    throw invalid(`optimizer.t (${cp.optimizer?.t}) is not a non-negative integer`);
  }
  cp.optimizer.buffers.forEach((b, i) => {
    if (!(b instanceof Float64Array)) throw invalid(`optimizer.buffers[${i}] is not a Float64Array`);
    checkFinite(b, `${where}: optimizer.buffers[${i}]`);
  });
  if (!Array.isArray(cp.rng) || cp.rng.some((w) => typeof w !== 'number')) throw invalid('rng is not an array of numbers');
  if (cp.carry !== null) {
    if (!(cp.carry instanceof Float64Array)) throw invalid('carry is neither null nor a Float64Array');
    checkFinite(cp.carry, `${where}: carry`);
  }
  if (cp.spectral != null) {
    const { rng, start } = cp.spectral;
    if (!Array.isArray(rng) || rng.some((w) => typeof w !== 'number')) throw invalid('spectral.rng is not an array of numbers');
    if (start !== null) {
      if (!(start instanceof Float64Array)) throw invalid('spectral.start is neither null nor a Float64Array');
      checkFinite(start, `${where}: spectral.start`);
    }
  }
}

function checkFinite(values: ArrayLike<number>, what: string): void {
  const at = firstNonFinite(values);
  if (at >= 0) {
    throw new StoreError('non-finite-checkpoint', `${what}[${at}] is ${values[at]}; a checkpoint with non-finite values cannot be stored`);
  }
}
