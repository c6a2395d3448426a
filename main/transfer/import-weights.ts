// Importing weights: a new run whose step-0 checkpoint holds weights read
// from a JSON, .npz or safetensors file. The format is told by the bytes
// (the extension may lie); every matrix is checked against the model the
// config describes (names, shapes, finite values, fit in the dtype) and the
// whole checkpoint is built before anything is written. The run then trains
// from those weights with fresh optimizer moments and the PRNG state a fresh
// run of the same seed would have after initialising, so importing a run's
// initial weights under its own config reproduces that run exactly.

import type { Checkpoint, RunConfig, RunRecord } from '../contract';
import { createOptimizer } from '../../native-worker/engine/optim/optimizer';
import { decayMask, fromWeights, initParams, layoutOf, toWeights } from '../../native-worker/engine/params';
import { Rng } from '../../native-worker/engine/prng';
import { firstNonFinite } from '../store/blob';
import type { RunManager } from '../runs/manager';
import { ApiError } from '../runs/errors';
import type { Store } from '../store/store';
import { badFile, TransferError } from './errors';
import { decodeWeightsJson } from './json';
import type { NdArray } from './npy';
import { decodeNpz } from './npz';
import { decodeSafetensors } from './safetensors';
import { arraysToWeights } from './tensors';

export interface ImportServices {
  store: Store;
  manager: RunManager;
}

export type WeightsFileFormat = 'json' | 'npz' | 'safetensors';

export interface WeightsFile {
  format: WeightsFileFormat;
  arrays: Map<string, NdArray>;
  /** The run config the file carries (JSON and safetensors exports do), else null. */
  config: unknown;
}

/** Reads a weights file of any supported format, told apart by its first bytes. */
export function readWeightsFile(fileName: string, data: Uint8Array): WeightsFile {
  const what = fileName || 'the file';
  if (data.length === 0) throw badFile(`${what}: the file is empty`);
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) {
    return { format: 'npz', arrays: decodeNpz(data, what), config: null };
  }
  if (startsWith(data, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) {
    throw new TransferError('unsupported', `${what}: a single .npy array holds one matrix; import an .npz with U, W and V (and b, c) instead`);
  }
  const first = data.findIndex((c) => c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0xef && c !== 0xbb && c !== 0xbf);
  if (first >= 0 && (data[first] === 0x7b || data[first] === 0x5b)) return { format: 'json', ...decodeWeightsJson(data, what) };
  if (data.length >= 9 && data[8] === 0x7b) {
    const st = decodeSafetensors(data, what);
    return { format: 'safetensors', arrays: st.arrays, config: st.metadata.config === undefined ? null : parseMetadataConfig(st.metadata.config, what) };
  }
  if (data.length < 9 && /\.safetensors$/i.test(fileName)) throw badFile(`${what}: truncated safetensors file (${data.length} bytes)`);
  throw badFile(`${what}: not a weights file this app reads (JSON, .npz or safetensors), judging by its first bytes`);
}

function parseMetadataConfig(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badFile(`${what}: __metadata__.config is not valid JSON (${(e as Error).message})`);
  }
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
  const file = readWeightsFile(a.fileName, a.data);
  const raw = a.config ?? file.config;
  if (raw === null || raw === undefined) {
    throw new ApiError('invalid-argument', `${a.fileName}: a ${file.format} file carries no run config; give one (the model's shape must match the file)`);
  }
  const { config, estimate } = s.manager.check(raw);
  const checkpoint = initialCheckpoint(config, estimate, file.arrays, a.fileName);
  const run = s.store.atomically(() => {
    const created = s.manager.create({ config, name: a.name ?? `${stripExtension(a.fileName)} (imported)`, tags: ['imported'], notes: `Weights imported from ${a.fileName}.` });
    s.store.saveCheckpoint(created.id, checkpoint);
    return created;
  });
  if (a.start) s.manager.start(run.id);
  return s.store.getRun(run.id) ?? run;
}

/** The step-0 checkpoint of a run of `config` (whose task has m inputs and n outputs) that starts from the file's weights. */
export function initialCheckpoint(config: RunConfig, sizes: { m: number; n: number }, arrays: ReadonlyMap<string, NdArray>, what: string): Checkpoint {
  const weights = arraysToWeights(arrays, what);
  const { m, n } = sizes;
  const { hidden: d, hiddenBias, outputBias } = config.model;
  const layout = layoutOf({ m, d, n, hiddenBias, outputBias });
  let params;
  try {
    params = fromWeights(layout, weights, config.dtype);
  } catch (e) {
    throw new TransferError('shape-mismatch', `${what}: ${(e as Error).message} (the config's model: m=${m}, d=${d}, n=${n}, biases ${hiddenBias ? 'b' : '-'}${outputBias ? 'c' : '-'})`);
  }
  const bad = firstNonFinite(params);
  if (bad >= 0) {
    const blk = layout.blocks.find((b) => bad < b.offset + b.size)!;
    const i = bad - blk.offset;
    throw new TransferError('non-finite', `${what}: ${blk.name}[${Math.floor(i / blk.cols)},${i % blk.cols}] = ${weights[blk.name]!.data[i]} overflows ${config.dtype}`);
  }
  const rng = new Rng(config.seed);
  initParams(layout, config.dtype, config.model.init, config.model.gain, rng);
  return {
    step: 0,
    baseLr: config.training.lr,
    weights: toWeights(layout, params),
    optimizer: createOptimizer(config.training.optimizer, layout.size, config.training.weightDecay, decayMask(layout)).getState(),
    rng: rng.getState(),
    carry: null,
    spectral: null,
  };
}

function startsWith(data: Uint8Array, magic: readonly number[]): boolean {
  return data.length >= magic.length && magic.every((b, i) => data[i] === b);
}

function stripExtension(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() || 'weights';
  return base.replace(/\.(json|npz|safetensors)$/i, '');
}
