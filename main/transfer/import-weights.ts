// Importing weights: a new run whose step-0 checkpoint holds weights read
// from a JSON, .npz, safetensors or ONNX file (ONNX: the graphs this app
// exports, onnx-read.ts). The format is told by the bytes
// (the extension may lie); every matrix is checked against the model the
// config describes (names, shapes, finite values, fit in the dtype) and the
// whole checkpoint is built before anything is written. The run then trains
// from those weights with fresh optimizer moments and the PRNG state a fresh
// run of the same seed would have after initialising, so importing a run's
// initial weights under its own config reproduces that run exactly.

import type { Checkpoint, RunConfig, RunRecord, WeightsFileInfo } from '../../common/contract';
import { CheckpointError, weightsCheckpoint } from '../../native-worker/engine-api';
import type { RunManager } from '../runs/manager';
import { ApiError } from '../runs/errors';
import type { Store } from '../store/store';
import { badFile, TransferError } from './errors';
import { decodeWeightsJson } from './json';
import { parseJsonText } from './json-text';
import { MAX_NPY_HEADER, type NdArray } from './npy';
import { decodeNpz } from './npz';
import { decodeOnnx, looksLikeOnnx } from './onnx-read';
import { decodeSafetensors } from './safetensors';
import { arraysToWeights } from './tensors';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip';

export interface ImportServices {
  store: Store;
  manager: RunManager;
}

export type WeightsFileFormat = WeightsFileInfo['format'];

export interface WeightsFile {
  format: WeightsFileFormat;
  arrays: Map<string, NdArray>;
  /** The run config the file carries (JSON, safetensors and ONNX exports do), else null. */
  config: unknown;
}

/** Reads a weights file of any supported format, told apart by its first bytes; `npzLimits` bound an .npz's entries. */
export function readWeightsFile(fileName: string, data: Uint8Array, npzLimits?: ZipLimits): WeightsFile {
  const what = fileName || 'the file';
  if (data.length === 0) throw badFile(`${what}: the file is empty`);
  if (isZip(data)) return { format: 'npz', arrays: decodeNpz(data, what, npzLimits), config: null };
  if (startsWith(data, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) {
    throw new TransferError(
      'unsupported',
      `${what}: a single .npy array holds one matrix; import an .npz with U, W and V (and b, c) instead`,
    );
  }
  const first = data.findIndex((c) => c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xef && c !== 0xbb && c !== 0xbf);
  if (first >= 0 && (data[first] === 0x7b || data[first] === 0x5b)) return { format: 'json', ...decodeWeightsJson(data, what) };
  if (data.length >= 9 && data[8] === 0x7b) {
    const st = decodeSafetensors(data, what);
    return {
      format: 'safetensors',
      arrays: st.arrays,
      config: st.metadata.config === undefined ? null : parseJsonText(st.metadata.config, `${what}: __metadata__.config`),
    };
  }
  if (looksLikeOnnx(data)) return { format: 'onnx', ...decodeOnnx(data, what) };
  if (data.length < 9 && /\.safetensors$/i.test(fileName)) throw badFile(`${what}: truncated safetensors file (${data.length} bytes)`);
  throw badFile(`${what}: not a weights file this app reads (JSON, .npz, safetensors or ONNX), judging by its first bytes`);
}

/** The tensors of a weights file and the model they imply (the import dialog's starting point); names a tensor that does not fit. */
export function inspectWeightsFile(fileName: string, data: Uint8Array): WeightsFileInfo {
  const what = fileName || 'the file';
  const file = readWeightsFile(fileName, data);
  const w = arraysToWeights(file.arrays, what);
  const d = w.U.rows;
  const shape = (name: string, a: { rows: number; cols: number }) => `${name} is ${a.rows}×${a.cols}`;
  const misfit = (found: string, want: string) =>
    new TransferError('shape-mismatch', `${what}: ${found}, but U (${w.U.rows}×${w.U.cols}) gives d = ${d}, so ${want}`);
  if (w.W.rows !== d || w.W.cols !== d) throw misfit(shape('W', w.W), `W must be ${d}×${d}`);
  if (w.V.cols !== d) throw misfit(shape('V', w.V), `V must have ${d} columns`);
  if (w.b && w.b.rows !== d) throw misfit(`b has ${w.b.rows} values`, `b must have ${d}`);
  if (w.c && w.c.rows !== w.V.rows) throw new TransferError('shape-mismatch', `${what}: c has ${w.c.rows} values, V has ${w.V.rows} rows`);
  return {
    format: file.format,
    tensors: [...file.arrays].map(([name, a]) => ({ name, shape: a.shape, dtype: a.dtype })),
    model: { m: w.U.cols, d, n: w.V.rows, hiddenBias: w.b !== undefined, outputBias: w.c !== undefined },
    config: file.config ?? null,
  };
}

export interface ImportWeightsArgs {
  fileName: string;
  data: Uint8Array;
  /** The config of the new run; null takes the one the file carries. */
  config: unknown;
  name: string | null;
  start: boolean;
}

/** Validates everything, then creates the run and stores its step-0 checkpoint; a failure leaves no run behind. */
export function importWeights(s: ImportServices, a: ImportWeightsArgs): RunRecord {
  const noConfig = (format: string) =>
    new ApiError(
      'invalid-argument',
      `${a.fileName}: a ${format} file carries no run config; give one (the model's shape must match the file)`,
    );
  if (a.config === null && isZip(a.data)) throw noConfig('npz');
  // With the config known first, no .npz entry is inflated past the size of the model's largest matrix.
  const given = a.config === null ? null : s.manager.check(a.config);
  const file = readWeightsFile(a.fileName, a.data, given ? modelNpzLimits(given.config, given.estimate) : undefined);
  const raw = a.config ?? file.config;
  if (raw === null || raw === undefined) throw noConfig(file.format);
  const { config, estimate } = given ?? s.manager.check(raw);
  const checkpoint = initialCheckpoint(config, estimate, file.arrays, a.fileName);
  const run = s.store.atomically(() => {
    const created = s.manager.create({
      config,
      name: a.name ?? `${stripExtension(a.fileName)} (imported)`,
      tags: ['imported'],
      notes: `Weights imported from ${a.fileName}.`,
    });
    s.store.saveCheckpoint(created.id, checkpoint);
    return created;
  });
  if (a.start) s.manager.start(run.id);
  return s.store.getRun(run.id) ?? run;
}

/** The step-0 checkpoint of a run of `config` (whose task has m inputs and n outputs) that starts from the file's weights. */
export function initialCheckpoint(
  config: RunConfig,
  sizes: { m: number; n: number },
  arrays: ReadonlyMap<string, NdArray>,
  what: string,
): Checkpoint {
  const weights = arraysToWeights(arrays, what);
  try {
    return weightsCheckpoint(config, sizes, weights);
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
    if (e.kind === 'non-finite') throw new TransferError('non-finite', `${what}: ${e.message}`);
    const { hidden: d, hiddenBias, outputBias } = config.model;
    throw new TransferError(
      'shape-mismatch',
      `${what}: ${e.message} (the config's model: m=${sizes.m}, d=${d}, n=${sizes.n}, ${biasesText(hiddenBias, outputBias)})`,
    );
  }
}

const biasesText = (b: boolean, c: boolean): string => (b && c ? 'biases b and c' : b ? 'bias b only' : c ? 'bias c only' : 'no biases');

/** An .npz of this model's weights: no entry larger than its largest matrix as a float64 .npy. */
function modelNpzLimits(config: RunConfig, sizes: { m: number; n: number }): ZipLimits {
  const d = config.model.hidden;
  const entry = 8 * Math.max(d * sizes.m, d * d, sizes.n * d) + 12 + MAX_NPY_HEADER;
  return { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: entry, maxTotalBytes: 5 * entry };
}

/** An .npz (a zip) by its first bytes: it carries no config, so nothing in it need be read to find one. */
export const isZip = (data: Uint8Array): boolean =>
  startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06]);

function startsWith(data: Uint8Array, magic: readonly number[]): boolean {
  return data.length >= magic.length && magic.every((b, i) => data[i] === b);
}

function stripExtension(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() || 'weights';
  return base.replace(/\.(json|npz|safetensors|onnx)$/i, '');
}
