// The app's sweeps (behind the sweeps:* API calls): the runners this
// process has going, what a sweep looks like to the sweep view, and
// stopping or deleting a sweep whichever process runs it.

import type { SweepDetail, SweepSummary } from '../../common/sweep-contract';
import { ACTIVE_STATUSES } from '../../common/statuses';
import { ApiError } from '../runs/errors';
import type { RunManager } from '../runs/manager';
import { describeOwner, ownedElsewhere, SWEEPS } from '../store/owners';
import type { Store } from '../store/store';
import { createSweep, SweepRunner, sweepProgress } from './runner';
import { parseSweepSpec, SweepSpecError } from './spec';

interface Services {
  store: Store;
  manager: RunManager;
}

/** Deletes a sweep that no process runs and, with `withRuns`, its trials' runs; returns how many runs it had. */
export async function deleteSweep(s: Services, id: number, withRuns: boolean, runningHere = false): Promise<number> {
  const other = s.store.sweeps.otherOwner(id);
  if (other || runningHere)
    throw new ApiError('bad-state', `sweep ${id} is running${other ? ` in ${describeOwner(other)}` : ''}: stop it first`);
  const runs = s.store.sweeps.trials(id).flatMap((t) => (t.runId === null ? [] : [t.runId]));
  if (withRuns) for (const run of runs) await s.manager.delete(run);
  s.store.sweeps.delete(id);
  return runs.length;
}

export class SweepService {
  private readonly runners = new Map<number, SweepRunner>();
  private readonly errors = new Map<number, string>();

  constructor(private readonly s: Services) {}

  list(): SweepSummary[] {
    return this.s.store.sweeps.list().map((row) => ({ ...row, runBy: this.runBy(row.id) }));
  }

  get(id: number): SweepDetail {
    const { store } = this.s;
    const row = store.sweeps.get(id);
    if (!row) throw new ApiError('no-such-sweep', `sweep ${id} does not exist`);
    const trials = store.sweeps.trials(id);
    const spec = parseSweepSpec(row.spec);
    const { sweepId: _, ...progress } = sweepProgress(store, id);
    return {
      id,
      name: row.name,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      trials: trials.length,
      completed: progress.completed,
      stoppedEarly: progress.stoppedEarly,
      failed: progress.failed,
      runBy: this.runBy(id),
      spec: row.spec,
      params: Object.keys(spec.grid ?? spec.random ?? {}).concat(spec.seeds ? ['seed'] : []),
      job: row.job,
      progress,
      trialList: trials.map((t) => ({
        trial: t.trial,
        params: t.seed === null ? t.params : { ...t.params, seed: t.seed },
        seed: t.seed,
        outcome: t.outcome,
        reason: t.reason,
        run: t.runId === null ? null : store.getSummary(t.runId),
      })),
      error: this.errors.get(id) ?? null,
    };
  }

  /** Stores a new sweep from a valid spec (refused with every problem by its field otherwise) and, with start, runs it. */
  create(spec: unknown, start: boolean): SweepDetail {
    let id: number;
    try {
      id = createSweep(this.s.store, spec);
    } catch (e) {
      if (e instanceof SweepSpecError) throw new ApiError('invalid-sweep', e.message);
      throw e;
    }
    return start ? this.start(id) : this.get(id);
  }

  /** Runs the sweep's open trials in this process, in the background; refused while another process runs it. */
  start(id: number): SweepDetail {
    this.get(id);
    if (!this.runners.has(id)) {
      const other = this.s.store.sweeps.otherOwner(id);
      if (other) throw ownedElsewhere(id, other, SWEEPS);
      const runner = new SweepRunner(this.s, id);
      this.runners.set(id, runner);
      this.errors.delete(id);
      runner
        .run()
        .catch((e: unknown) => this.errors.set(id, e instanceof Error ? e.message : String(e)))
        .finally(() => this.runners.delete(id));
    }
    return this.get(id);
  }

  /** Stops the sweep's trials cleanly: its runner here, or its active trial runs through the process that trains them. */
  async stop(id: number): Promise<SweepDetail> {
    const { store, manager } = this.s;
    this.get(id);
    const runner = this.runners.get(id);
    if (runner) await runner.stop();
    else
      for (const t of store.sweeps.trials(id)) {
        const run = t.runId === null ? null : store.getSummary(t.runId);
        if (run && ACTIVE_STATUSES.includes(run.status)) await manager.stop(run.id);
      }
    return this.get(id);
  }

  async delete(id: number, withRuns: boolean): Promise<void> {
    this.get(id);
    await deleteSweep(this.s, id, withRuns, this.runners.has(id));
    this.errors.delete(id);
  }

  private runBy(id: number): string | null {
    if (this.runners.has(id)) return 'this process';
    const other = this.s.store.sweeps.otherOwner(id);
    return other ? describeOwner(other) : null;
  }
}
