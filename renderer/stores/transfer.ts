// Files in and out: a run's weights, metrics or whole archive streamed to a
// file, and runs imported from an archive or a weights file.

import { defineStore } from 'pinia';
import type { Dtype, MetricsFormat, RunRecord, WeightFormat } from '../../common/contract';
import { call, saveExport } from '../api';
import { useNewRunStore } from './new-run';
import { useNoticesStore } from './notices';
import { useRunsStore } from './runs';

export type ExportChoice =
  | { kind: 'weights'; format: WeightFormat; dtype: Dtype; step: number | null }
  | { kind: 'metrics'; format: MetricsFormat }
  | { kind: 'archive' };

export const useTransferStore = defineStore('transfer', () => {
  const notices = useNoticesStore();
  const runs = useRunsStore();
  const newRun = useNewRunStore();

  /** Streams the export to a file (a download, or where the desktop app's save dialog says); false when it failed. */
  async function exportRun(id: number, what: ExportChoice): Promise<boolean> {
    const saved = await notices.attempt(() => saveExport({ ...what, id }));
    if (saved) notices.info(`Saved ${saved}`);
    return saved !== undefined;
  }

  /**
   * An archive (.rnnrun, .zip) becomes a new run at once; a weights file (.json, .npz, .safetensors, .onnx) opens the
   * import form (the new-run form in import mode) to pick or edit its config first: 'form' then.
   */
  async function importFile(file: File): Promise<RunRecord | 'form' | undefined> {
    const data = new Uint8Array(await file.arrayBuffer());
    if (!/\.(rnnrun|zip)$/i.test(file.name)) {
      const info = await notices.attempt(() => call('import:inspect', { fileName: file.name, data }));
      if (!info) return undefined;
      await newRun.startImport(file.name, data, info);
      return newRun.importing ? 'form' : undefined;
    }
    const r = await notices.attempt(() => call('import:archive', { fileName: file.name, data }));
    if (r) {
      await runs.refresh();
      notices.info(`Imported “${r.name}” as run ${r.id}`);
    }
    return r;
  }

  return { exportRun, importFile };
});
