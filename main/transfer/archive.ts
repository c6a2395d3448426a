// A whole run as one portable file (".rnnrun", a zip): manifest.json (the
// run's fields and its config), steps.jsonl, evals.jsonl, gradchecks.jsonl,
// and per snapshot a meta.json with one .npy per matrix, optimizer buffer,
// PRNG state and carry, so every float64 comes back bit for bit. Reading
// validates the whole archive (limits, schemas, the config, each
// snapshot against the model) and returns it ready to store.

import type { Checkpoint, MatrixData, MatrixName, RunConfig, Weights } from '../contract';
import { createOptimizer } from '../../native-worker/engine/optim/optimizer';
import { decayMask, fromWeights, layoutOf, type Layout } from '../../native-worker/engine/params';
import { Rng } from '../../native-worker/engine/prng';
import { ENGINE_VERSION } from '../../native-worker/trainer';
import { firstNonFinite } from '../store/blob';
import { MATRIX_NAMES } from '../store/series';
import type { Store } from '../store/store';
import {
  ARCHIVE_FORMAT, ARCHIVE_VERSION, exactStringify, jsonLines, manifestOf, parseWith, readEvals, readGradChecks, readSteps,
  snapshotMetaSchema, utf8, type Manifest, type SnapshotMeta,
} from './archive-codec';
import { badFile, TransferError } from './errors';
import { fileStem, mustGetRun, stepPages, type ExportStream, type TransferServices } from './export';
import { decodeNpy, encodeNpy } from './npy';
import { readZip, zipChunks, type ZipEntry, type ZipLimits, DEFAULT_ZIP_LIMITS } from './zip';

export const ARCHIVE_EXTENSION = '.rnnrun';

/** The whole run as a zip stream: the manifest now, then its steps a page at a time and its snapshots one at a time. */
export function archiveExport(s: TransferServices, a: { id: number }): ExportStream {
  const { store } = s;
  const run = mustGetRun(store, a.id);
  const snapshots = store.listSnapshots(run.id).map((x) => x.step);
  const manifest: Manifest = {
    format: ARCHIVE_FORMAT, formatVersion: ARCHIVE_VERSION, appVersion: s.appVersion,
    run: {
      name: run.name, status: run.status, engineVersion: run.engineVersion ?? ENGINE_VERSION, appVersion: run.appVersion,
      createdAt: run.createdAt, tags: run.tags, notes: run.notes, endMessage: run.endMessage,
      parentRunId: run.parentRunId, parentStep: run.parentStep,
    },
    config: run.config,
    snapshots,
  };
  return {
    fileName: `${fileStem(run, null)}${ARCHIVE_EXTENSION}`,
    mime: 'application/zip',
    chunks: () => zipChunks(archiveEntries(store, run.id, manifest)),
  };
}

function* archiveEntries(store: Store, runId: number, manifest: Manifest): Generator<ZipEntry> {
  yield { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), deflate: true };
  yield { name: 'steps.jsonl', data: map(stepPages(store, runId), (p) => jsonLines(p.steps)), deflate: true };
  const evalSteps = store.listEvalSteps(runId);
  yield { name: 'evals.jsonl', data: map(evalSteps, (step) => {
    const e = store.evalAt(runId, step);
    return jsonLines(e ? [e] : []);
  }), deflate: true };
  const gradChecks = store.listGradChecks(runId).map((g) => ({
    rtrlVsBptt: g.rtrlVsBptt, rtrlVsFiniteDiff: g.rtrlVsFiniteDiff, bpttVsFiniteDiff: g.bpttVsFiniteDiff, checked: g.checked, worst: g.worst, step: g.step,
  }));
  yield { name: 'gradchecks.jsonl', data: jsonLines(gradChecks), deflate: true };
  for (const step of manifest.snapshots) {
    const cp = store.checkpointAt(runId, step);
    if (cp === null || cp.step !== step) throw new TransferError('bad-file', `run ${runId}: snapshot ${step} vanished while exporting`);
    yield* snapshotEntries(cp);
  }
}

function* map<T>(items: Iterable<T>, f: (item: T) => Uint8Array): Generator<Uint8Array> {
  for (const item of items) yield f(item);
}

const dir = (step: number): string => `snapshots/${step}/`;
const vector = (v: ArrayLike<number>) => encodeNpy([v.length], v, 'float64');

function snapshotEntries(cp: Checkpoint): ZipEntry[] {
  const meta: SnapshotMeta = { step: cp.step, baseLr: cp.baseLr, optimizerT: cp.optimizer.t, buffers: cp.optimizer.buffers.length, carry: cp.carry !== null };
  const at = dir(cp.step);
  const out: ZipEntry[] = [{ name: `${at}meta.json`, data: Buffer.from(exactStringify(meta), 'utf8'), deflate: true }];
  for (const name of MATRIX_NAMES) {
    const m = cp.weights[name];
    if (m) out.push({ name: `${at}${name}.npy`, data: encodeNpy([m.rows, m.cols], m.data, 'float64') });
  }
  cp.optimizer.buffers.forEach((b, i) => out.push({ name: `${at}optimizer-${i}.npy`, data: vector(b) }));
  out.push({ name: `${at}rng.npy`, data: vector(cp.rng) });
  if (cp.carry) out.push({ name: `${at}carry.npy`, data: vector(cp.carry) });
  return out;
}

export interface ParsedArchive {
  manifest: Manifest;
  config: RunConfig;
  steps: ReturnType<typeof readSteps>;
  evals: ReturnType<typeof readEvals>;
  gradChecks: ReturnType<typeof readGradChecks>;
  checkpoints: Checkpoint[];
}

/** Config validation and the task's input/output sizes (the run manager's check). */
export type CheckConfig = (raw: unknown) => { config: RunConfig; estimate: { m: number; n: number } };

export function readArchive(data: Uint8Array, fileName: string, check: CheckConfig, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ParsedArchive {
  const what = fileName || 'the archive';
  const files = readZip(data, what, limits);
  const manifest = manifestOf(files.get('manifest.json'), what);
  const { config, estimate } = check(manifest.config);
  const steps = readSteps(files.get('steps.jsonl'), `${what}: steps.jsonl`);
  steps.forEach((s, i) => {
    if (i > 0 && s.step <= steps[i - 1].step) throw badFile(`${what}: steps.jsonl line ${i + 1}: step ${s.step} does not follow step ${steps[i - 1].step}`);
  });
  const evals = readEvals(files.get('evals.jsonl'), `${what}: evals.jsonl`);
  const seen = new Set<number>();
  evals.forEach((e, i) => {
    const where = `${what}: evals.jsonl line ${i + 1}`;
    if (seen.has(e.step)) throw badFile(`${where}: a second eval at step ${e.step}`);
    seen.add(e.step);
    const { T, d, n, hidden, outputs, targets } = e.probe;
    if (d !== config.model.hidden || n !== estimate.n) throw badFile(`${where}: probe of d = ${d}, n = ${n}; the config's model has d = ${config.model.hidden}, n = ${estimate.n}`);
    for (const [field, values, size] of [['hidden', hidden, T * d], ['outputs', outputs, T * n], ['targets', targets, T * n]] as const) {
      if (values.length !== size) throw badFile(`${where}: probe.${field} has ${values.length} values, expected T×${field === 'hidden' ? 'd' : 'n'} = ${size}`);
    }
    if (e.eigenvalues.length % 2 !== 0) throw badFile(`${where}: eigenvalues must be (re, im) pairs`);
  });
  const gradChecks = readGradChecks(files.get('gradchecks.jsonl'), `${what}: gradchecks.jsonl`);
  const layout = layoutOf({ m: estimate.m, d: config.model.hidden, n: estimate.n, hiddenBias: config.model.hiddenBias, outputBias: config.model.outputBias });
  if (new Set(manifest.snapshots).size !== manifest.snapshots.length) throw badFile(`${what}: manifest.json lists a snapshot step twice`);
  const checkpoints = manifest.snapshots.map((step) => {
    const cp = readSnapshot(files, step, `${what}: ${dir(step)}`);
    checkSnapshot(cp, layout, config, `${what}: ${dir(step)}`);
    return cp;
  });
  return { manifest, config, steps, evals, gradChecks, checkpoints };
}

/** A snapshot the store will take and a resumed run can load: finite, and shaped for the model and optimizer. */
function checkSnapshot(cp: Checkpoint, layout: Layout, config: RunConfig, where: string): void {
  const vectors: [string, ArrayLike<number>][] = [
    ...Object.entries(cp.weights).map(([name, m]): [string, ArrayLike<number>] => [`${name}.npy`, m.data]),
    ...cp.optimizer.buffers.map((b, i): [string, ArrayLike<number>] => [`optimizer-${i}.npy`, b]),
    ...(cp.carry ? [['carry.npy', cp.carry] as [string, ArrayLike<number>]] : []),
  ];
  for (const [name, v] of vectors) {
    const at = firstNonFinite(v);
    if (at >= 0) throw new TransferError('non-finite', `${where}${name}: value ${at} is ${v[at]}; a snapshot must be finite`);
  }
  try {
    fromWeights(layout, cp.weights, 'float64');
    createOptimizer(config.training.optimizer, layout.size, config.training.weightDecay, decayMask(layout)).setState(cp.optimizer);
    new Rng(0).setState(cp.rng);
  } catch (e) {
    throw new TransferError('shape-mismatch', `${where}: ${(e as Error).message}`);
  }
  if (cp.carry && config.method.kind !== 'rtrl-online') throw badFile(`${where}: carries online RTRL state but the method is ${config.method.kind}`);
}

function readSnapshot(files: ReadonlyMap<string, Uint8Array>, step: number, where: string): Checkpoint {
  const entry = (name: string): Uint8Array => {
    const b = files.get(`${dir(step)}${name}`);
    if (b === undefined) throw badFile(`${where}${name} is missing`);
    return b;
  };
  const meta = parseWith(snapshotMetaSchema, utf8(entry('meta.json'), `${where}meta.json`), `${where}meta.json`);
  if (meta.step !== step) throw badFile(`${where}meta.json: step ${meta.step} in the folder of step ${step}`);
  const vectorOf = (name: string): Float64Array => {
    const a = decodeNpy(entry(name), `${where}${name}`);
    if (a.shape.length !== 1) throw badFile(`${where}${name}: shape (${a.shape.join(', ')}) is not a vector`);
    return a.data;
  };
  const weights: Partial<Record<MatrixName, MatrixData>> = {};
  for (const name of MATRIX_NAMES) {
    if (!files.has(`${dir(step)}${name}.npy`)) continue;
    const a = decodeNpy(entry(`${name}.npy`), `${where}${name}.npy`);
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
  };
}
