// Files in and out: a run's weights, metrics or whole archive streamed to a
// file, and runs imported from an archive or a weights file.

import { defineStore } from 'pinia';
import type { Dtype, MetricsFormat, RunRecord, WeightFormat } from '../../common/contract';
import { call, saveExport } from '../api';
import { useNoticesStore } from './notices';
import { useRunsStore } from './runs';

export type ExportChoice =
  | { kind: 'weights'; format: WeightFormat; dtype: Dtype; step: number | null }
  | { kind: 'metrics'; format: MetricsFormat }
  | { kind: 'archive' };

export const useTransferStore = defineStore('transfer', () => {
  const notices = useNoticesStore();
  const runs = useRunsStore();

  /** Streams the export to a file (a download, or where the desktop app's save dialog says); false when it failed. */
  async function exportRun(id: number, what: ExportChoice): Promise<boolean> {
    const saved = await notices.attempt(() => saveExport({ ...what, id }));
    if (saved) notices.info(`Saved ${saved}`);
    return saved !== undefined;
  }

  /** An archive (.zip of a run) or a weights file (.json, .npz, .safetensors) as a new run, not started. */
  async function importFile(file: File): Promise<RunRecord | undefined> {
    const data = new Uint8Array(await file.arrayBuffer());
    const archive = /\.(rnnrun|zip)$/i.test(file.name);
    const r = await notices.attempt(() =>
      archive
        ? call('import:archive', { fileName: file.name, data })
        : call('import:weights', { fileName: file.name, data, config: null, name: null, start: false }),
    );
    if (r) {
      await runs.refresh();
      notices.info(`Imported “${r.name}” as run ${r.id}`);
    }
    return r;
  }

  return { exportRun, importFile };
});
