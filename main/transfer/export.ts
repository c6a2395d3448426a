// Exports of one run: a snapshot's weights in any WeightFormat, and the
// metrics as CSV or JSON lines. Each returns an ExportFile (name, MIME type,
// bytes) for the caller to save: a dialog in the app, a download in a
// browser, a file in the CLI. Reads only; nothing here writes the store.

import type { Checkpoint, Dtype, ExportFile, RunRecord, StepMetrics, WeightFormat } from '../contract';
import { ENGINE_VERSION } from '../../native-worker/trainer';
import { ApiError } from '../runs/errors';
import { MAX_READ_STEPS } from '../store/series-reader';
import type { Store } from '../store/store';
import { matrixCsv, metricsCsv, metricsJsonl } from './csv';
import { encodeWeightsJson } from './json';
import { encodeNpy } from './npy';
import { encodeNpz } from './npz';
import { encodeOnnx } from './onnx';
import { encodeSafetensors } from './safetensors';
import { weightsToArrays, type WeightsMeta } from './tensors';
import { writeZip } from './zip';

export interface TransferServices {
  store: Store;
  appVersion: string;
}

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
  const have = steps.length === 0 ? 'it has none yet' : `it has ${steps.length <= 12 ? steps.join(', ') : `${steps.slice(0, 6).join(', ')}, …, ${steps.slice(-6).join(', ')}`}`;
  throw new ApiError('no-snapshot', `run ${run.id} has no snapshot${step === null ? '' : ` at step ${step}`}; ${have}`);
}

/** A file-name stem from the run's name: "sine · rtrl · d=8" → "sine-rtrl-d-8-run3-step200". */
export function fileStem(run: RunRecord, step: number | null): string {
  const slug = run.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';
  return `${slug}-run${run.id}${step === null ? '' : `-step${step}`}`;
}

/**
 * The bytes as a plain Uint8Array that owns its whole ArrayBuffer. Not a
 * Buffer: JSON.stringify calls Buffer's toJSON before any replacer, so the
 * `serve` wire would see {type, data}. Not a view into a larger buffer
 * (Node pools small Buffers): structured clone would send the whole pool.
 */
export function exportFile(fileName: string, mime: string, data: Uint8Array): ExportFile {
  const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && !Buffer.isBuffer(data);
  if (whole) return { fileName, mime, data };
  const own = new Uint8Array(data.byteLength);
  own.set(data);
  return { fileName, mime, data: own };
}

export function exportWeights(s: TransferServices, a: { id: number; step: number | null; format: WeightFormat; dtype: Dtype }): ExportFile {
  const run = mustGetRun(s.store, a.id);
  const cp = snapshotOf(s.store, run, a.step);
  const meta: WeightsMeta = { config: run.config, step: cp.step, runName: run.name, engineVersion: run.engineVersion ?? ENGINE_VERSION, appVersion: s.appVersion };
  const arrays = weightsToArrays(cp.weights, a.dtype);
  const stem = `${fileStem(run, cp.step)}${a.dtype === 'float32' ? '-f32' : ''}`;
  switch (a.format) {
    case 'json':
      return exportFile(`${stem}.json`, 'application/json', encodeWeightsJson(arrays, meta, a.dtype));
    case 'npz':
      return exportFile(`${stem}.npz`, 'application/zip', encodeNpz(arrays));
    case 'npy': {
      const entries = [...arrays].map(([name, m]) => ({ name: `${name}.npy`, data: encodeNpy(m.shape, m.data, m.dtype) }));
      return exportFile(`${stem}-npy.zip`, 'application/zip', writeZip(entries));
    }
    case 'safetensors': {
      const metadata = {
        format: 'rnn-workbench-weights', config: JSON.stringify(run.config), step: String(cp.step), seed: String(run.config.seed),
        dtype: a.dtype, engine_version: meta.engineVersion, app_version: s.appVersion, run: run.name,
      };
      return exportFile(`${stem}.safetensors`, 'application/octet-stream', encodeSafetensors(arrays, metadata));
    }
    case 'onnx':
      return exportFile(`${stem}.onnx`, 'application/octet-stream', encodeOnnx(arrays, meta, a.dtype));
    case 'csv': {
      const entries = [...arrays].map(([name, m]) => ({ name: `${name}.csv`, data: matrixCsv(m), deflate: true }));
      return exportFile(`${stem}-csv.zip`, 'application/zip', writeZip(entries));
    }
  }
}

export function exportMetrics(s: TransferServices, a: { id: number; format: 'csv' | 'jsonl' }): ExportFile {
  const run = mustGetRun(s.store, a.id);
  const steps = allSteps(s.store, run);
  const points = s.store.readSeries(run.id, 'validationLoss', { maxPoints: Number.MAX_SAFE_INTEGER });
  const validation = new Map(points.steps.map((step, i) => [step, points.values[i]]));
  const stem = `${fileStem(run, null)}-metrics`;
  return a.format === 'csv'
    ? exportFile(`${stem}.csv`, 'text/csv', metricsCsv(steps, validation))
    : exportFile(`${stem}.jsonl`, 'application/jsonl', metricsJsonl(steps, validation));
}

/** Every stored step of the run, read a page at a time. */
export function allSteps(store: Store, run: RunRecord): StepMetrics[] {
  const out: StepMetrics[] = [];
  if (run.lastStep === null) return out;
  for (let from = 0; from <= run.lastStep; from += MAX_READ_STEPS) {
    for (const row of store.readSteps(run.id, from, Math.min(run.lastStep, from + MAX_READ_STEPS - 1))) out.push(row);
  }
  return out;
}
