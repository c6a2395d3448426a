// A sweep on a cluster: its open trials' configs and one job-array script
// go into a folder every node sees; each array element runs
// `rnn-workbench train` on its trial into its own database there. `status`
// reads the scheduler's states and each trial's database; `collect`
// exports each finished trial's run from its database as a run archive and
// imports it here, as a run of the sweep with the job and host it ran on.
// Both first judge early stopping for the running trials (cluster-asha.ts).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiError } from '../runs/errors';
import type { RunManager } from '../runs/manager';
import { Store } from '../store/store';
import { importArchiveSource } from '../transfer/archive-import';
import { ARCHIVE_EXTENSION } from '../transfer/archive';
import { openExport } from '../transfer/open-export';
import { writeFileAtomically } from '../transfer/save-file';
import { fileSource } from '../transfer/zip';
import { APP_VERSION } from '../version';
import { judgeClusterTrials } from './cluster-asha';
import type { Scheduler, TaskState } from './slurm';
import { parseSweepSpec, trialConfig } from './spec';

interface Services {
  store: Store;
  manager: RunManager;
}

const file = (dir: string, trial: number, ext: string) => join(dir, `trial-${trial}.${ext}`);
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * Writes the open trials' configs and the array script into a new folder
 * under `workdir` and submits it. `cli` is the command that starts
 * rnn-workbench on a node (node and the launcher, as paths every node sees).
 */
export function submitSweep(
  s: Services,
  sweepId: number,
  o: { workdir: string; scheduler: Scheduler; args: readonly string[]; cli: readonly string[] },
): { job: string; dir: string; trials: number[] } {
  const row = s.store.sweeps.get(sweepId)!;
  const spec = parseSweepSpec(row.spec);
  const open = s.store.sweeps.trials(sweepId).filter((t) => t.outcome === null);
  if (open.length === 0) throw new ApiError('bad-state', `sweep ${sweepId} has no open trials`);
  let dir: string;
  try {
    mkdirSync(o.workdir, { recursive: true });
    dir = mkdtempSync(join(resolve(o.workdir), `sweep-${sweepId}-`));
    for (const t of open) writeFileSync(file(dir, t.trial, 'json'), JSON.stringify(trialConfig(spec, t.params, t.seed)));
  } catch (e) {
    throw new ApiError('invalid-argument', `--workdir: cannot write ${o.workdir}: ${(e as Error).message}`);
  }
  const cli = o.cli.map(quote).join(' ');
  const script = join(dir, 'sweep.sh');
  writeFileSync(
    script,
    [
      '#!/bin/bash',
      `#SBATCH --job-name=rnn-workbench-sweep-${sweepId}`,
      `#SBATCH --array=${open.map((t) => t.trial).join(',')}`,
      `#SBATCH --output=${join(dir, 'trial-%a.log')}`,
      '#SBATCH --cpus-per-task=1',
      `cd ${quote(dir)} || exit 1`,
      'i=$SLURM_ARRAY_TASK_ID',
      'hostname > "trial-$i.host"',
      `exec ${cli} train --config "trial-$i.json" --db "trial-$i.db" --name ${quote(`${spec.name} · trial `)}"$i" --json > "trial-$i.jsonl"`,
      '',
    ].join('\n'),
  );
  const job = o.scheduler.submit(script, o.args);
  s.store.sweeps.setJob(sweepId, dir, job);
  return { job, dir, trials: open.map((t) => t.trial) };
}

export interface TrialStatus {
  trial: number;
  /** collected, or the scheduler's state, or "finished" (gone from the queue, not yet collected), or "unknown". */
  state: string;
  host: string | null;
  step: number | null;
  totalSteps: number | null;
  runStatus: string | null;
  bestValidationLoss: number | null;
}

export function sweepStatus(s: Services, sweepId: number, scheduler: Scheduler): { job: string; dir: string; trials: TrialStatus[] } {
  const { job, dir } = clusterSweep(s, sweepId);
  const tasks = judged(s, sweepId, scheduler);
  return {
    job,
    dir,
    trials: s.store.sweeps.trials(sweepId).map((t) => {
      const run = t.runId !== null ? s.store.getSummary(t.runId) : trialRun(dir, t.trial);
      const task: TaskState | undefined = tasks.get(t.trial);
      return {
        trial: t.trial,
        state:
          t.runId !== null
            ? `collected (${t.outcome})`
            : t.outcome === 'stopped-early'
              ? 'stopped early (cancelled; collect brings it in)'
              : (task?.state ?? (run ? 'finished' : 'unknown')),
        host: t.host ?? task?.host ?? readHost(dir, t.trial),
        step: run?.lastStep ?? null,
        totalSteps: run?.totalSteps ?? null,
        runStatus: run?.status ?? null,
        bestValidationLoss: run?.bestValidationLoss ?? null,
      };
    }),
  };
}

/** Imports every trial whose run has ended on the cluster; returns the trials collected now. */
export async function collectSweep(s: Services, sweepId: number, scheduler: Scheduler): Promise<number[]> {
  const { job, dir } = clusterSweep(s, sweepId);
  const tasks = judged(s, sweepId, scheduler);
  const collected: number[] = [];
  for (const t of s.store.sweeps.trials(sweepId)) {
    const live = tasks.get(t.trial);
    // a trial stopped early has its outcome before its run is collected
    if (t.runId !== null || (t.outcome !== null && t.outcome !== 'stopped-early')) continue;
    if (live && ['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING'].includes(live.state)) continue;
    const db = file(dir, t.trial, 'db');
    if (!existsSync(db)) continue;
    const remote = Store.openReadOnly(db);
    let archive: string;
    try {
      const run = remote.listRuns()[0];
      if (!run || ['created', 'queued', 'running', 'paused'].includes(run.status)) continue;
      archive = file(dir, t.trial, ARCHIVE_EXTENSION.slice(1));
      await writeFileAtomically(archive, openExport({ store: remote, appVersion: APP_VERSION }, { kind: 'archive', id: run.id }).chunks());
    } finally {
      remote.close();
    }
    const source = fileSource(archive);
    let imported;
    try {
      imported = importArchiveSource({ ...s, appVersion: APP_VERSION }, archive, source);
    } finally {
      source.close();
    }
    const host = readHost(dir, t.trial);
    const where = `slurm job ${job}, array index ${t.trial}${host ? `, on ${host}` : ''}`;
    s.store.updateRun(imported.id, {
      tags: [...imported.tags, `sweep ${sweepId}`],
      notes: imported.notes ? `${imported.notes}\n${where}` : where,
    });
    const ok = imported.status === 'completed';
    if (t.outcome === 'stopped-early') s.store.updateRun(imported.id, { endMessage: t.reason });
    s.store.sweeps.setCollected(sweepId, t.trial, {
      runId: imported.id,
      outcome: t.outcome === 'stopped-early' ? t.outcome : ok ? 'completed' : 'failed',
      reason: t.outcome === 'stopped-early' ? t.reason : ok ? null : (imported.endMessage ?? imported.status),
      job: `${job}_${t.trial}`,
      host,
    });
    collected.push(t.trial);
  }
  return collected;
}

/** The scheduler's states of the sweep's tasks, after early stopping has judged (and cancelled) the running ones. */
function judged(s: Services, sweepId: number, scheduler: Scheduler): Map<number, TaskState> {
  const { job, dir } = clusterSweep(s, sweepId);
  const tasks = scheduler.tasks(job);
  const es = parseSweepSpec(s.store.sweeps.get(sweepId)!.spec).earlyStopping;
  if (!es) return tasks;
  const stopped = judgeClusterTrials(s, sweepId, { es, job, tasks, scheduler, dbOf: (trial) => file(dir, trial, 'db') });
  // cancelled just now: no longer running, whatever the scheduler said a moment ago
  for (const trial of stopped) tasks.set(trial, { state: 'CANCELLED', host: tasks.get(trial)?.host ?? null });
  return tasks;
}

function clusterSweep(s: Services, sweepId: number): { job: string; dir: string } {
  const row = s.store.sweeps.get(sweepId);
  if (!row) throw new ApiError('no-such-sweep', `sweep ${sweepId} does not exist`);
  if (row.job === null || row.workdir === null)
    throw new ApiError('bad-state', `sweep ${sweepId} was not sent to a cluster (sweep run --slurm)`);
  return { job: row.job, dir: row.workdir };
}

/** The trial's run in its own database on the shared folder, or null before it exists. */
function trialRun(dir: string, trial: number) {
  const db = file(dir, trial, 'db');
  if (!existsSync(db)) return null;
  try {
    const store = Store.openReadOnly(db);
    try {
      return store.listRuns()[0] ?? null;
    } finally {
      store.close();
    }
  } catch {
    return null; // still being created by its task
  }
}

function readHost(dir: string, trial: number): string | null {
  try {
    return readFileSync(file(dir, trial, 'host'), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
