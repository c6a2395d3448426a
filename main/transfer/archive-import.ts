// Importing a run archive: the whole archive is read and validated first
// (readArchive), then the run is recreated under a new id with its name,
// tags, notes and final status, and its metrics, evals and snapshots go in
// with one appendProgress (one transaction). The gradient checks follow. If
// the store refuses anything, the new run is deleted again, so a failed
// import leaves the database as it was.

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
  const run = s.store.createRun({
    name: r.name, config, appVersion: r.appVersion, engineVersion: r.engineVersion, status, tags: r.tags,
    notes: r.notes ? `${r.notes}\n\n${origin}` : origin,
  });
  try {
    s.store.appendProgress(run.id, { steps: archive.steps, evals: archive.evals, checkpoints: archive.checkpoints });
    for (const g of archive.gradChecks) s.store.saveGradCheck(run.id, g);
    if (r.endMessage !== null || status !== r.status) {
      const note = status === r.status ? r.endMessage : `${r.status} when it was exported; imported as ${status}`;
      s.store.updateRun(run.id, { endMessage: note });
    }
  } catch (e) {
    s.store.deleteRun(run.id);
    throw e;
  }
  return s.store.getRun(run.id) ?? run;
}
