// `rnn-workbench export` and `rnn-workbench import`: files in and out
// through the same services the app uses (an export is streamed to its
// file, written beside it and renamed into place; imports go through the
// import:* calls), so a bad file gets the same message here as in the app.

import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunRecord } from '../../common/contract';
import { DTYPES, METRICS_FORMATS, WEIGHT_FORMATS } from '../../common/values';
import { toWireError } from '../api/handlers';
import { ApiError } from '../runs/errors';
import { ARCHIVE_EXTENSION } from '../transfer/archive';
import { importArchiveSource } from '../transfer/archive-import';
import { collectExport } from '../transfer/export';
import { exportRequestSchema } from '../transfer/handlers';
import { openExport } from '../transfer/open-export';
import { writeFileAtomically } from '../transfer/save-file';
import { APP_VERSION } from '../version';
import { isZip, readWeightsFile } from '../transfer/import-weights';
import { fileSource, readZip } from '../transfer/zip';
import type { Flag } from './args';
import type { Call } from './command';
import { configFromFlags, hasConfigFlags, mergeOver, type ConfigFlags } from './config-flags';
import { jsonLine, terminalText } from './terminal-text';
import type { Workbench } from '../workbench';

/** Every format `export --format` writes: a snapshot's weights, the metrics, the whole run. */
/** --format's names for a metrics export: metrics-csv, metrics-jsonl. */
const METRICS_EXPORTS = METRICS_FORMATS.map((f) => `metrics-${f}`);
export const EXPORT_FORMATS = [...WEIGHT_FORMATS, ...METRICS_EXPORTS, 'archive'];

export const EXPORT_FLAGS: readonly Flag[] = [
  {
    name: 'format',
    short: 'f',
    type: 'string',
    values: EXPORT_FORMATS,
    description: `what to write: a snapshot's weights (${WEIGHT_FORMATS.join(', ')}), the metrics (metrics-csv, metrics-jsonl) or the whole run (archive, ${ARCHIVE_EXTENSION})`,
  },
  { name: 'step', type: 'string', value: 'N', description: 'the snapshot whose weights to write (default: the latest)' },
  { name: 'dtype', type: 'string', values: DTYPES, description: 'the number type of the written weights (default float64)' },
  {
    name: 'out',
    short: 'o',
    type: 'string',
    value: 'PATH',
    description: 'the file to write (default: a name made from the run, here); npy and csv write a folder, or a zip when PATH ends in .zip',
  },
];

export const IMPORT_FLAGS: readonly Flag[] = [
  { name: 'start', type: 'boolean', description: 'start training the imported weights at once' },
  {
    name: 'archive',
    type: 'boolean',
    description: `read the file as a run archive whatever its name (else: by its ${ARCHIVE_EXTENSION} extension)`,
  },
];

export interface TransferFlags extends ConfigFlags {
  step?: string;
  format?: string;
  out?: string;
  start?: boolean;
  archive?: boolean;
  name?: string;
  json?: boolean;
}

export async function exportCommand(wb: Workbench, id: number, f: TransferFlags, out: (s: string) => void): Promise<number> {
  const format = f.format;
  if (format === undefined || !EXPORT_FORMATS.includes(format))
    throw new ApiError(
      'invalid-argument',
      `export: --format must be one of ${EXPORT_FORMATS.join(', ')}${format === undefined ? '' : ` (got "${format}")`}`,
    );
  const step = f.step === undefined ? null : Number(f.step);
  if (step !== null && (!Number.isInteger(step) || step < 0)) throw new ApiError('invalid-argument', `--step: "${f.step}" is not a step`);
  const raw =
    format === 'archive'
      ? { kind: 'archive', id }
      : METRICS_EXPORTS.includes(format)
        ? { kind: 'metrics', id, format: format.slice('metrics-'.length) }
        : { kind: 'weights', id, step, format, dtype: f.dtype ?? 'float64' };
  const parsed = exportRequestSchema.safeParse(raw);
  if (!parsed.success)
    throw new ApiError('invalid-argument', `export: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  const stream = openExport({ store: wb.store, appVersion: APP_VERSION }, parsed.data);
  const perMatrix = format === 'npy' || format === 'csv';
  const target = f.out ?? (perMatrix ? stream.fileName.replace(/\.zip$/, '') : stream.fileName);
  let written: string[];
  let bytes = 0;
  if (perMatrix && !target.endsWith('.zip')) {
    // A zip of one small file per matrix, unpacked into a folder.
    const file = collectExport(stream);
    bytes = file.data.byteLength;
    try {
      mkdirSync(target, { recursive: true });
    } catch (e) {
      throw new ApiError('invalid-argument', `--out: cannot write ${target}: ${(e as Error).message}`);
    }
    written = [];
    for (const [name, data] of readZip(file.data, file.fileName)) {
      const path = join(target, basename(name));
      await writeFileAtomically(path, [data]);
      written.push(path);
    }
  } else {
    bytes = await writeFileAtomically(target, stream.chunks());
    written = [target];
  }
  if (f.json) out(jsonLine({ fileName: stream.fileName, bytes, written }));
  else out(`wrote ${terminalText(written.join(', '))} (${bytes} bytes)\n`);
  return 0;
}

export async function importCommand(
  wb: Workbench,
  call: Call,
  path: string | undefined,
  f: TransferFlags,
  out: (s: string) => void,
  train: (run: RunRecord) => Promise<number>,
): Promise<number> {
  if (path === undefined)
    throw new ApiError('invalid-argument', 'import: which file? (a .json, .npz, .safetensors or .onnx of weights, or a run archive)');
  const cannotRead = (e: unknown) => new ApiError('invalid-argument', `import: cannot read ${path}: ${(e as Error).message}`);
  const fileName = basename(path);
  let run: RunRecord;
  if (f.archive || fileName.endsWith(ARCHIVE_EXTENSION)) {
    if (f.start)
      throw new ApiError(
        'invalid-argument',
        'import: --start applies to weights; an imported archive is resumed with `rnn-workbench resume`',
      );
    // Read by random access, an entry at a time: an archive may be larger than memory.
    let source;
    try {
      source = fileSource(path);
    } catch (e) {
      throw cannotRead(e);
    }
    try {
      run = importArchiveSource({ store: wb.store, manager: wb.manager, appVersion: APP_VERSION }, fileName, source);
    } catch (e) {
      const wire = toWireError(e); // a bad config in the archive is a usage error, as it is through the API
      throw wire.code === 'internal' ? e : new ApiError(wire.code, wire.message);
    } finally {
      source.close();
    }
  } else {
    let data: Uint8Array;
    try {
      data = readFileSync(path);
    } catch (e) {
      throw cannotRead(e);
    }
    run = await call('import:weights', {
      fileName,
      data,
      config: hasConfigFlags(f) ? flagConfig(fileName, data, f) : null,
      name: f.name ?? null,
      start: false,
    });
    if (f.start) return train(run);
  }
  if (f.json) out(jsonLine(run));
  else out(`imported ${terminalText(fileName)} as run ${run.id} "${terminalText(run.name)}" (${run.status}, step ${run.lastStep ?? 0})\n`);
  return 0;
}

/** Config flags over the config the file carries (when it carries one and no --config is given), else over the defaults. */
function flagConfig(fileName: string, data: Uint8Array, f: TransferFlags): unknown {
  const flags = configFromFlags(f);
  if (f.config || isZip(data)) return flags;
  let carried: unknown = null;
  try {
    carried = readWeightsFile(fileName, data).config;
  } catch {
    return flags; // the import call reports what is wrong with the file
  }
  return carried === null ? flags : mergeOver(carried, flags);
}
