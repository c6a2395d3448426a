// Exports of one run: a snapshot's weights in any WeightFormat, the metrics
// as CSV or JSON lines, and (archive.ts) the whole run. Each is an
// ExportStream (open-export.ts chooses one): a name, a MIME type and its bytes as chunks produced on
// demand, which the caller sends where it goes (a file written beside its
// target and renamed, an HTTP download) without ever holding the whole
// file: the metrics are read one stored chunk of steps at a time. Reads
// only; nothing here writes the store.

import type { Checkpoint, Dtype, ExportFile, MetricsFormat, RunRecord, StepMetrics, WeightFormat } from '../../common/contract';
import { ENGINE_VERSION } from '../../native-worker/engine-api';
import { ApiError } from '../runs/errors';
import type { Store } from '../store/store';
import { matrixCsv, metricColumns, metricsCsvRows, metricsJsonlRows } from './csv';
import { TransferError } from './errors';
import { encodeWeightsJson } from './json';
import { encodeNpy } from './npy';
import { encodeNpz } from './npz';
import { encodeOnnx } from './onnx';
import { torchStateDict } from './pytorch';
import { encodeSafetensors } from './safetensors';
import { weightsToArrays, type WeightsMeta } from './tensors';
import { writeZip } from './zip';

export interface TransferServices {
  store: Store;
  appVersion: string;
}

export interface ExportStream {
  fileName: string;
  mime: string;
  /** The file's bytes in order; each call starts over. */
  chunks(): Iterable<Uint8Array>;
}

/** The largest export the byte-returning API calls hand back whole; larger ones are streamed (export:save, GET /export, the CLI). */
const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

export function mustGetRun(store: Store, id: number): RunRecord {
  const run = store.getRun(id);
  if (!run) throw new ApiError('no-such-run', `run ${id} does not exist`);
  return run;
}

/** The snapshot at exactly `step`, or the latest when step is null. */
export function snapshotOf(store: Store, run: RunRecord, step: number | null): Checkpoint {
  const c = step === null ? store.latestCheckpoint(run.id) : store.checkpointAt(run.id, step);
  if (c && (step === null || c.step === step)) return c;
  const steps = store.listSnapshots(run.id).map((s) => s.step);
  const have =
    steps.length === 0
      ? 'it has none yet'
      : `it has ${steps.length <= 12 ? steps.join(', ') : `${steps.slice(0, 6).join(', ')}, …, ${steps.slice(-6).join(', ')}`}`;
  throw new ApiError('no-snapshot', `run ${run.id} has no snapshot${step === null ? '' : ` at step ${step}`}; ${have}`);
}

/** A file-name stem from the run's name: "sine · rtrl · d=8" → "sine-rtrl-d-8-run3-step200". */
export function fileStem(run: RunRecord, step: number | null): string {
  const slug =
    run.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'run';
  return `${slug}-run${run.id}${step === null ? '' : `-step${step}`}`;
}

/**
 * The whole stream as one ExportFile, for the API calls that return bytes.
 * The data is a plain Uint8Array that owns its whole ArrayBuffer. Not a
 * Buffer: JSON.stringify calls Buffer's toJSON before any replacer, so the
 * `serve` wire would see {type, data}. Not a view into a larger buffer
 * (Node pools small Buffers): structured clone would send the whole pool.
 */
export function collectExport(stream: ExportStream, max = MAX_EXPORT_BYTES): ExportFile {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const c of stream.chunks()) {
    size += c.byteLength;
    if (size > max) {
      throw new TransferError(
        'too-large',
        `${stream.fileName} is over ${max} bytes; save it to a file instead (the desktop app's Save, GET /export in serve mode, or rnn-workbench export --out)`,
      );
    }
    parts.push(c);
  }
  const data = new Uint8Array(size);
  let at = 0;
  for (const c of parts) {
    data.set(c, at);
    at += c.byteLength;
  }
  return { fileName: stream.fileName, mime: stream.mime, data };
}

const whole = (fileName: string, mime: string, data: Uint8Array): ExportStream => ({ fileName, mime, chunks: () => [data] });

export function weightsExport(
  s: TransferServices,
  a: { id: number; step: number | null; format: WeightFormat; dtype: Dtype },
): ExportStream {
  const run = mustGetRun(s.store, a.id);
  const cp = snapshotOf(s.store, run, a.step);
  const meta: WeightsMeta = {
    config: run.config,
    step: cp.step,
    runName: run.name,
    engineVersion: run.engineVersion ?? ENGINE_VERSION,
    appVersion: s.appVersion,
  };
  const arrays = weightsToArrays(cp.weights, a.dtype);
  const stem = `${fileStem(run, cp.step)}${a.dtype === 'float32' ? '-f32' : ''}`;
  switch (a.format) {
    case 'json':
      return whole(`${stem}.json`, 'application/json', encodeWeightsJson(arrays, meta, a.dtype));
    case 'npz':
      return whole(`${stem}.npz`, 'application/zip', encodeNpz(arrays));
    case 'npy': {
      const entries = [...arrays].map(([name, m]) => ({ name: `${name}.npy`, data: encodeNpy(m.shape, m.data, m.dtype) }));
      return whole(`${stem}-npy.zip`, 'application/zip', writeZip(entries));
    }
    case 'safetensors': {
      const metadata = {
        format: 'rnn-workbench-weights',
        config: JSON.stringify(run.config),
        step: String(cp.step),
        seed: String(run.config.seed),
        dtype: a.dtype,
        engine_version: meta.engineVersion,
        app_version: s.appVersion,
        run: run.name,
      };
      return whole(`${stem}.safetensors`, 'application/octet-stream', encodeSafetensors(arrays, metadata));
    }
    case 'pytorch': {
      const { tensors, metadata } = torchStateDict(arrays, meta, a.dtype);
      return whole(`${stem}-pytorch.safetensors`, 'application/octet-stream', encodeSafetensors(tensors, metadata));
    }
    case 'onnx':
      return whole(`${stem}.onnx`, 'application/octet-stream', encodeOnnx(arrays, meta, a.dtype));
    case 'csv': {
      const entries = [...arrays].map(([name, m]) => ({ name: `${name}.csv`, data: matrixCsv(m), deflate: true }));
      return whole(`${stem}-csv.zip`, 'application/zip', writeZip(entries));
    }
  }
}

export function metricsExport(s: TransferServices, a: { id: number; format: MetricsFormat }): ExportStream {
  const { store } = s;
  const run = mustGetRun(store, a.id);
  const stem = `${fileStem(run, null)}-metrics`;
  if (a.format === 'jsonl') {
    return { fileName: `${stem}.jsonl`, mime: 'application/jsonl', chunks: () => mapPages(store, run.id, metricsJsonlRows) };
  }
  const columns = metricColumns(store.listSeries(run.id));
  const header = Buffer.from(columns.join(',') + '\n', 'utf8');
  return {
    fileName: `${stem}.csv`,
    mime: 'text/csv',
    chunks: function* () {
      yield header;
      yield* mapPages(store, run.id, (steps, validation) => metricsCsvRows(columns, steps, validation));
    },
  };
}

/** The run's steps one stored chunk at a time (at most CHUNK_STEPS of them). */
export function* stepPages(store: Store, runId: number): Generator<{ from: number; to: number; steps: StepMetrics[] }> {
  for (let page = store.stepPageAfter(runId, -1); page !== null; page = store.stepPageAfter(runId, page.from)) {
    yield { ...page, steps: store.readSteps(runId, page.from, page.to) };
  }
}

/** Each page of steps, with the validation losses of its steps, turned into bytes. */
function* mapPages(
  store: Store,
  runId: number,
  encode: (steps: StepMetrics[], validation: Map<number, number>) => Uint8Array,
): Generator<Uint8Array> {
  for (const { from, to, steps } of stepPages(store, runId)) {
    const points = store.readSeries(runId, 'validationLoss', { from, to, maxPoints: Math.max(4, to - from + 1) });
    yield encode(steps, new Map(points.steps.map((step, i) => [step, points.values[i]])));
  }
}
