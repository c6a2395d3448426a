// Importing a run archive: the whole archive is read and validated first
// (readArchive), then the run is recreated under a new id with its name,
// tags, notes and final status, and its metrics, evals and snapshots go in
// with its gradient checks, all in one transaction: if the store refuses
// anything, a failed import leaves the database exactly as it was.

import type { RunRecord } from '../contract';
import type { RunManager } from '../runs/manager';
import type { Store } from '../store/store';
import { importedStatus } from './archive-codec';
import { readArchive } from './archive';
import type { ZipLimits } from './zip';

export interface ArchiveImportServices {
  store: Store;
  manager: RunManager;
  appVersion: string;
}

export function importArchive(s: ArchiveImportServices, a: { fileName: string; data: Uint8Array }, limits?: ZipLimits): RunRecord {
  const archive = readArchive(a.data, a.fileName, (raw) => s.manager.check(raw), limits);
  const { manifest, config } = archive;
  const r = manifest.run;
  const status = importedStatus(r.status, archive.steps.length > 0 || archive.checkpoints.length > 0);
  const origin = `Imported from ${a.fileName} (created ${new Date(r.createdAt).toISOString()} by app ${r.appVersion}).`;
  const run = s.store.atomically(() => {
    const created = s.store.createRun({
      name: r.name, config, appVersion: r.appVersion, engineVersion: r.engineVersion, status, tags: r.tags,
      notes: r.notes ? `${r.notes}\n\n${origin}` : origin,
    });
    s.store.appendProgress(created.id, { steps: archive.steps, evals: archive.evals, checkpoints: archive.checkpoints });
    for (const g of archive.gradChecks) s.store.saveGradCheck(created.id, g);
    if (r.endMessage !== null || status !== r.status) {
      const note = status === r.status ? r.endMessage : `${r.status} when it was exported; imported as ${status}`;
      s.store.updateRun(created.id, { endMessage: note });
    }
    return created;
  });
  return s.store.getRun(run.id) ?? run;
}
