// Files in and out: a run's weights, metrics or whole archive as a
// download, and runs imported from an archive or a weights file.

import { defineStore } from 'pinia';
import type { Dtype, ExportFile, RunRecord, WeightFormat } from '../../main/contract';
import { call } from '../api';
import { download } from '../charts/download';
import { useNoticesStore } from './notices';
import { useRunsStore } from './runs';

export type ExportChoice =
  | { kind: 'weights'; format: WeightFormat; dtype: Dtype; step: number | null }
  | { kind: 'metrics'; format: 'csv' | 'jsonl' }
  | { kind: 'archive' };

export const useTransferStore = defineStore('transfer', () => {
  const notices = useNoticesStore();
  const runs = useRunsStore();

  const save = (f: ExportFile) => download(f.fileName, new Blob([f.data.slice()], { type: f.mime }));

  async function exportRun(id: number, what: ExportChoice): Promise<boolean> {
    const file = await notices.attempt(() => {
      if (what.kind === 'weights') return call('export:weights', { id, step: what.step, format: what.format, dtype: what.dtype });
      if (what.kind === 'metrics') return call('export:metrics', { id, format: what.format });
      return call('export:archive', { id });
    });
    if (file) save(file);
    return file !== undefined;
  }

  /** An archive (.zip of a run) or a weights file (.json, .npz, .safetensors) as a new run, not started. */
  async function importFile(file: File): Promise<RunRecord | undefined> {
    const data = new Uint8Array(await file.arrayBuffer());
    const archive = /\.(rnnrun|zip)$/i.test(file.name);
    const r = await notices.attempt(() => (archive
      ? call('import:archive', { fileName: file.name, data })
      : call('import:weights', { fileName: file.name, data, config: null, name: null, start: false })));
    if (r) {
      await runs.refresh();
      notices.info(`Imported “${r.name}” as run ${r.id}`);
    }
    return r;
  }

  return { exportRun, importFile };
});
