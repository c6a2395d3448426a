// Reading a run archive's parts back (archive.ts writes them): the evals
// checked against the model, and each snapshot read from its folder and
// held to what the store will take and a resumed run can load. Every error
// names the file inside the archive and what is wrong.

import type { Checkpoint, EvalMetrics, MatrixData, MatrixName, RunConfig, Weights } from '../../common/contract';
import { CheckpointError, checkCheckpoint, type ModelSizes } from '../../native-worker/engine-api';
import { firstNonFinite } from '../store/blob';
import { MATRIX_NAMES } from '../../common/values';
import { parseWith, snapshotMetaSchema, utf8 } from './archive-codec';
import { badFile, TransferError } from './errors';
import { decodeNpy } from './npy';

/** An entry's bytes by name, or undefined when the archive has none. */
export type EntryBytes = (name: string) => Uint8Array | undefined;

/** Evals of this model: one per step, probes shaped T×d and T×n, eigenvalues in (re, im) pairs. */
export function checkEvals(evals: readonly { value: EvalMetrics; line: number }[], config: RunConfig, n: number, where: string): void {
  const seen = new Set<number>();
  for (const { value: e, line } of evals) {
    const at = `${where} line ${line}`;
    if (seen.has(e.step)) throw badFile(`${at}: a second eval at step ${e.step}`);
    seen.add(e.step);
    const { T, d, hidden, outputs, targets } = e.probe;
    if (d !== config.model.hidden || e.probe.n !== n)
      throw badFile(`${at}: probe of d = ${d}, n = ${e.probe.n}; the config's model has d = ${config.model.hidden}, n = ${n}`);
    for (const [field, values, size] of [
      ['hidden', hidden, T * d],
      ['outputs', outputs, T * n],
      ['targets', targets, T * n],
    ] as const) {
      if (values.length !== size)
        throw badFile(`${at}: probe.${field} has ${values.length} values, expected T×${field === 'hidden' ? 'd' : 'n'} = ${size}`);
    }
    if (e.eigenvalues.length % 2 !== 0) throw badFile(`${at}: eigenvalues must be (re, im) pairs`);
  }
}

/** The snapshot in folder `dir`, read and checked against the config's model (whose task has sizes.m inputs and sizes.n outputs). */
export function readSnapshot(
  entry: EntryBytes,
  dir: string,
  step: number,
  config: RunConfig,
  sizes: ModelSizes,
  where: string,
): Checkpoint {
  const cp = snapshotAt(entry, dir, step, where);
  checkSnapshot(cp, config, sizes, where);
  return cp;
}

function snapshotAt(entry: EntryBytes, dir: string, step: number, where: string): Checkpoint {
  const must = (name: string): Uint8Array => {
    const b = entry(`${dir}${name}`);
    if (b === undefined) throw badFile(`${where}${name} is missing`);
    return b;
  };
  const meta = parseWith(snapshotMetaSchema, utf8(must('meta.json'), `${where}meta.json`), `${where}meta.json`);
  if (meta.step !== step) throw badFile(`${where}meta.json: step ${meta.step} in the folder of step ${step}`);
  const vectorOf = (name: string): Float64Array => {
    const a = decodeNpy(must(name), `${where}${name}`);
    if (a.shape.length !== 1) throw badFile(`${where}${name}: shape (${a.shape.join(', ')}) is not a vector`);
    return a.data;
  };
  const weights: Partial<Record<MatrixName, MatrixData>> = {};
  for (const name of MATRIX_NAMES) {
    const bytes = entry(`${dir}${name}.npy`);
    if (bytes === undefined) continue;
    const a = decodeNpy(bytes, `${where}${name}.npy`);
    if (a.shape.length !== 2) throw badFile(`${where}${name}.npy: shape (${a.shape.join(', ')}) is not a matrix`);
    weights[name] = { rows: a.shape[0], cols: a.shape[1], data: a.data };
  }
  if (!weights.U || !weights.W || !weights.V) throw badFile(`${where}: U.npy, W.npy and V.npy are all required`);
  return {
    step,
    baseLr: meta.baseLr,
    weights: weights as Weights,
    optimizer: { t: meta.optimizerT, buffers: Array.from({ length: meta.buffers }, (_, i) => vectorOf(`optimizer-${i}.npy`)) },
    rng: Array.from(vectorOf('rng.npy')),
    carry: meta.carry ? vectorOf('carry.npy') : null,
    spectral: meta.spectral
      ? { rng: Array.from(vectorOf('spectral-rng.npy')), start: meta.spectral.start ? vectorOf('spectral-start.npy') : null }
      : null,
  };
}

/** A snapshot the store will take and a resumed run can load: finite, and fit for the model, optimizer and method. */
function checkSnapshot(cp: Checkpoint, config: RunConfig, sizes: ModelSizes, where: string): void {
  const vectors: [string, ArrayLike<number>][] = [
    ...Object.entries(cp.weights).map(([name, m]): [string, ArrayLike<number>] => [`${name}.npy`, m.data]),
    ...cp.optimizer.buffers.map((b, i): [string, ArrayLike<number>] => [`optimizer-${i}.npy`, b]),
    ...(cp.carry ? [['carry.npy', cp.carry] as [string, ArrayLike<number>]] : []),
    ...(cp.spectral?.start ? [['spectral-start.npy', cp.spectral.start] as [string, ArrayLike<number>]] : []),
  ];
  for (const [name, v] of vectors) {
    const at = firstNonFinite(v);
    if (at >= 0) throw new TransferError('non-finite', `${where}${name}: value ${at} is ${v[at]}; a snapshot must be finite`);
  }
  try {
    checkCheckpoint(cp, config, sizes);
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    if (e.kind === 'wrong-method') throw badFile(`${where}: ${e.message}`);
    throw new TransferError(e.kind, e.part === 'spectral-start' ? `${where}spectral-start.npy: ${e.message}` : `${where}: ${e.message}`);
  }
}
