// A whole run as one portable file (".rnnrun", a zip): manifest.json (the
// run's fields and its config), steps.jsonl, evals.jsonl, gradchecks.jsonl,
// and per snapshot a meta.json with one .npy per matrix, optimizer buffer,
// PRNG state, carry and spectral-estimate state, so every float64 comes back bit for bit. This file
// writes one as a stream; archive-read.ts and archive-import.ts read it.

import type { Checkpoint } from '../../common/contract';
import { ENGINE_VERSION } from '../../native-worker/engine-api';
import { MATRIX_NAMES } from '../../common/values';
import type { Store } from '../store/store';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, exactStringify, jsonLines, type Manifest, type SnapshotMeta } from './archive-codec';
import { TransferError } from './errors';
import { fileStem, mustGetRun, stepPages, type ExportStream, type TransferServices } from './export';
import { encodeNpy } from './npy';
import { zipChunks, type ZipEntry } from './zip';

export const ARCHIVE_EXTENSION = '.rnnrun';

/** The whole run as a zip stream: the manifest now, then its steps a page at a time and its snapshots one at a time. */
export function archiveExport(s: TransferServices, a: { id: number }): ExportStream {
  const { store } = s;
  const run = mustGetRun(store, a.id);
  const snapshots = store.listSnapshots(run.id).map((x) => x.step);
  const manifest: Manifest = {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_VERSION,
    appVersion: s.appVersion,
    run: {
      name: run.name,
      status: run.status,
      engineVersion: run.engineVersion ?? ENGINE_VERSION,
      appVersion: run.appVersion,
      createdAt: run.createdAt,
      tags: run.tags,
      notes: run.notes,
      endMessage: run.endMessage,
      parentRunId: run.parentRunId,
      parentStep: run.parentStep,
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
  yield {
    name: 'evals.jsonl',
    data: map(evalSteps, (step) => {
      const e = store.evalAt(runId, step);
      return jsonLines(e ? [e] : []);
    }),
    deflate: true,
  };
  const gradChecks = store.listGradChecks(runId).map((g) => ({
    rtrlVsBptt: g.rtrlVsBptt,
    rtrlVsFiniteDiff: g.rtrlVsFiniteDiff,
    bpttVsFiniteDiff: g.bpttVsFiniteDiff,
    checked: g.checked,
    worst: g.worst,
    step: g.step,
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

/** The folder of a snapshot's entries. */
export const snapshotDir = (step: number): string => `snapshots/${step}/`;
const vector = (v: ArrayLike<number>) => encodeNpy([v.length], v, 'float64');

function snapshotEntries(cp: Checkpoint): ZipEntry[] {
  const meta: SnapshotMeta = {
    step: cp.step,
    baseLr: cp.baseLr,
    optimizerT: cp.optimizer.t,
    buffers: cp.optimizer.buffers.length,
    carry: cp.carry !== null,
    spectral: cp.spectral === null ? null : { start: cp.spectral.start !== null },
  };
  const at = snapshotDir(cp.step);
  const out: ZipEntry[] = [{ name: `${at}meta.json`, data: Buffer.from(exactStringify(meta), 'utf8'), deflate: true }];
  for (const name of MATRIX_NAMES) {
    const m = cp.weights[name];
    if (m) out.push({ name: `${at}${name}.npy`, data: encodeNpy([m.rows, m.cols], m.data, 'float64') });
  }
  cp.optimizer.buffers.forEach((b, i) => out.push({ name: `${at}optimizer-${i}.npy`, data: vector(b) }));
  out.push({ name: `${at}rng.npy`, data: vector(cp.rng) });
  if (cp.carry) out.push({ name: `${at}carry.npy`, data: vector(cp.carry) });
  if (cp.spectral) out.push({ name: `${at}spectral-rng.npy`, data: vector(cp.spectral.rng) });
  if (cp.spectral?.start) out.push({ name: `${at}spectral-start.npy`, data: vector(cp.spectral.start) });
  return out;
}
