// Importing a run archive, from a file or from bytes (a browser's upload)
// through the same code: the zip is read by its central directory, one
// entry at a time, so only the entry being read is in memory. The small
// parts (manifest, config, evals, gradient checks) are checked first; then,
// in one transaction, the run is recreated under a new id with its name,
// tags, notes and final status, its steps go in a page at a time as they
// are parsed, and its snapshots one at a time as each is read and checked.
// Anything refused rolls the whole import back: a failed import leaves the
// database exactly as it was.

import type { RunRecord, StepMetrics } from '../../common/contract';
import type { RunManager } from '../runs/manager';
import { CHUNK_STEPS } from '../store/series';
import type { Store } from '../store/store';
import { importedStatus, manifestOf, readEvals, readGradChecks, readSteps } from './archive-codec';
import { checkEvals, readSnapshot } from './archive-read';
import { snapshotDir } from './archive';
import { badFile } from './errors';
import { bytesSource, readDirectory, readEntry, type ZipLimits, type ZipSource } from './zip';

export interface ArchiveImportServices {
  store: Store;
  manager: RunManager;
  appVersion: string;
}

/** An archive given as its bytes (the API's import:archive). */
export function importArchive(s: ArchiveImportServices, a: { fileName: string; data: Uint8Array }, limits?: ZipLimits): RunRecord {
  return importArchiveSource(s, a.fileName, bytesSource(a.data), limits);
}

/** An archive read by random access: a file (fileSource) for the CLI and the desktop app's File ▸ Import. */
export function importArchiveSource(s: ArchiveImportServices, fileName: string, source: ZipSource, limits?: ZipLimits): RunRecord {
  const what = fileName || 'the archive';
  const zip = readDirectory(source, what, limits);
  const entry = (name: string): Uint8Array | undefined => {
    const e = zip.entries.get(name);
    return e === undefined ? undefined : readEntry(source, zip, e, what);
  };
  const manifest = manifestOf(entry('manifest.json'), what);
  const { config, estimate } = s.manager.check(manifest.config);
  const evals = readEvals(entry('evals.jsonl'), `${what}: evals.jsonl`);
  checkEvals(evals, config, estimate.n, `${what}: evals.jsonl`);
  const gradChecks = readGradChecks(entry('gradchecks.jsonl'), `${what}: gradchecks.jsonl`);
  if (new Set(manifest.snapshots).size !== manifest.snapshots.length) throw badFile(`${what}: manifest.json lists a snapshot step twice`);

  const r = manifest.run;
  const hasSteps = (zip.entries.get('steps.jsonl')?.size ?? 0) > 0;
  const status = importedStatus(r.status, hasSteps || manifest.snapshots.length > 0);
  const origin = `Imported from ${fileName} (created ${new Date(r.createdAt).toISOString()} by app ${r.appVersion}).`;
  const run = s.store.atomically(() => {
    const created = s.store.createRun({
      name: r.name,
      config,
      appVersion: r.appVersion,
      engineVersion: r.engineVersion,
      status,
      tags: r.tags,
      notes: r.notes ? `${r.notes}\n\n${origin}` : origin,
    });
    let page: StepMetrics[] = [];
    let previous: StepMetrics | null = null;
    for (const { value: step, line } of readSteps(entry('steps.jsonl'), `${what}: steps.jsonl`)) {
      if (previous !== null && step.step <= previous.step)
        throw badFile(`${what}: steps.jsonl line ${line}: step ${step.step} does not follow step ${previous.step}`);
      previous = step;
      page.push(step);
      if (page.length === CHUNK_STEPS) {
        s.store.appendProgress(created.id, { steps: page, evals: [], checkpoints: [] });
        page = [];
      }
    }
    s.store.appendProgress(created.id, { steps: page, evals: evals.map((e) => e.value), checkpoints: [] });
    for (const step of manifest.snapshots) {
      const dir = snapshotDir(step);
      s.store.saveCheckpoint(created.id, readSnapshot(entry, dir, step, config, estimate, `${what}: ${dir}`));
    }
    for (const g of gradChecks) s.store.saveGradCheck(created.id, g);
    if (r.endMessage !== null || status !== r.status) {
      const note = status === r.status ? r.endMessage : `${r.status} when it was exported; imported as ${status}`;
      s.store.updateRun(created.id, { endMessage: note });
    }
    return created;
  });
  return s.store.getRun(run.id) ?? run;
}
