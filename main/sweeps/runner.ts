// Running a sweep on this machine: every trial without an outcome becomes a
// run (or continues its run) in the run manager's queue, which trains as
// many at once as it has slots. A trial's outcome is written when its run
// ends: completed, stopped early (asha.ts: written before its run is
// stopped, so a process killed in between never redoes it) or failed
// (diverged, failed, crashed, or refused at creation). A run stopped by
// anything else (Ctrl-C, `rnn-workbench stop`) or interrupted leaves its
// trial without an outcome: `sweep resume` continues it from its latest
// snapshot, and never touches a trial that has one. One process runs a
// sweep at a time: the runner holds the sweep (sweep_owners) while it
// trains, and a second process trying to run it is refused, naming the first.

import type { EvalMetrics, RunSummary, StepMetrics } from '../../common/contract';
import type { SweepProgressInfo, TrialOutcome } from '../../common/sweep-contract';
import { ACTIVE_STATUSES, ENDED_STATUSES } from '../../common/statuses';
import { ApiError } from '../runs/errors';
import type { RunManager } from '../runs/manager';
import type { Store } from '../store/store';
import type { TrialRow } from '../store/sweeps';
import { earlyStopReason, promotes, rungStep } from './asha';
import { expandTrials } from './expand';
import { parseSweepSpec, trialConfig, type SweepSpec } from './spec';

export interface SweepProgress extends SweepProgressInfo {
  sweepId: number;
}

/** Validate a spec and store it as a new sweep with all its trials; returns the sweep's id. */
export function createSweep(store: Store, raw: unknown): number {
  const spec = parseSweepSpec(raw);
  return store.sweeps.create(spec.name, spec, expandTrials(spec));
}

/** The sweep's standing from the store (any process may be training it). */
export function sweepProgress(store: Store, sweepId: number): SweepProgress {
  const p: SweepProgress = { sweepId, total: 0, completed: 0, stoppedEarly: 0, failed: 0, running: 0, queued: 0, best: null };
  for (const t of store.sweeps.trials(sweepId)) {
    p.total++;
    if (t.outcome === 'completed') p.completed++;
    else if (t.outcome === 'stopped-early') p.stoppedEarly++;
    else if (t.outcome === 'failed') p.failed++;
    const run = t.runId === null ? null : store.getSummary(t.runId);
    if (!run) continue;
    if (t.outcome === null && (run.status === 'running' || run.status === 'paused')) p.running++;
    if (t.outcome === null && run.status === 'queued') p.queued++;
    const v = run.bestValidationLoss;
    if (v !== null && Number.isFinite(v) && (p.best === null || v < p.best.value)) p.best = { trial: t.trial, runId: run.id, value: v };
  }
  return p;
}

interface Live {
  trial: number;
  totalSteps: number;
  /** The next early-stopping rung this trial has to pass. */
  rung: number;
}

export class SweepRunner {
  private readonly spec: SweepSpec;
  /** Trial runs this runner started that have not ended yet: run id → trial. */
  private readonly live = new Map<number, Live>();
  /** Trials stopped early whose run has not ended yet: run id → reason. */
  private readonly early = new Map<number, string>();
  private stopping = false;

  constructor(
    private readonly wb: { store: Store; manager: RunManager },
    readonly sweepId: number,
    /** Called whenever a trial's run moves or ends. */
    private readonly onUpdate: (trial: TrialRow | null) => void = () => undefined,
  ) {
    const row = wb.store.sweeps.get(sweepId);
    if (!row) throw new ApiError('no-such-sweep', `sweep ${sweepId} does not exist`);
    this.spec = parseSweepSpec(row.spec);
  }

  /**
   * Queue every trial without an outcome and resolve once none of them is
   * training: all done, or stopped (stop(), Ctrl-C) and left to resume.
   * Rejects with 'owned-elsewhere' while another live process runs the sweep.
   */
  run(): Promise<SweepProgress> {
    const { store, manager } = this.wb;
    return new Promise<SweepProgress>((resolve, reject) => {
      try {
        store.sweeps.claim(this.sweepId);
      } catch (e) {
        reject(e as Error);
        return;
      }
      const finish = () => {
        if (this.live.size > 0) return;
        offChanged();
        offProgress();
        offDeleted();
        store.sweeps.release(this.sweepId);
        resolve(sweepProgress(store, this.sweepId));
      };
      const offChanged = manager.on('changed', (r) => {
        // a queued trial stopped before it began goes back to 'created'
        if (this.live.has(r.id) && (ENDED_STATUSES.includes(r.status) || r.status === 'created')) {
          this.ended(r);
          finish();
        } else if (this.live.has(r.id)) this.onUpdate(null);
      });
      const offDeleted = manager.on('deleted', ({ id }) => {
        if (this.live.delete(id)) finish();
      });
      const offProgress = manager.on('progress', (p) => {
        if (this.live.has(p.id)) this.earlyStop(p.id, p.steps, p.evals);
      });
      try {
        for (const t of store.sweeps.trials(this.sweepId)) if (t.outcome === null && !this.stopping) this.launch(t);
      } catch (e) {
        void this.stop().then(() => {
          store.sweeps.release(this.sweepId);
          reject(e as Error);
        });
        return;
      }
      finish();
    });
  }

  /** Stop every trial run this runner started; their trials keep no outcome, to be resumed. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.live.keys()].map((id) => this.wb.manager.stop(id).catch(() => undefined)));
  }

  private launch(t: TrialRow): void {
    const { store, manager } = this.wb;
    const run = t.runId === null ? null : store.getSummary(t.runId);
    if (run && ACTIVE_STATUSES.includes(run.status))
      throw new ApiError('bad-state', `trial ${t.trial}'s run ${run.id} is ${run.status}: is the sweep running in another process?`);
    if (run?.status === 'completed') return this.decide(t.trial, 'completed', null);
    if (run && ['diverged', 'failed', 'crashed'].includes(run.status)) return this.decide(t.trial, 'failed', run.endMessage ?? run.status);
    let id: number;
    if (run) {
      id = run.id;
      this.watch(id, t.trial, run.totalSteps);
      if (run.status === 'created') manager.start(id);
      else void manager.resume(id).catch((e: unknown) => this.refused(id, t.trial, e));
      return;
    }
    try {
      const created = manager.create({
        config: trialConfig(this.spec, t.params, t.seed),
        name: `${this.spec.name} · trial ${t.trial}`,
        tags: [`sweep ${this.sweepId}`],
      });
      id = created.id;
      store.sweeps.setRun(this.sweepId, t.trial, id);
      this.watch(id, t.trial, created.config.training.steps);
    } catch (e) {
      if (e instanceof ApiError || !(e instanceof Error) || e.name === 'StoreError') throw e;
      return this.decide(t.trial, 'failed', e.message); // the trial's config is refused (memory, task sizes)
    }
    manager.start(id);
  }

  private watch(runId: number, trial: number, totalSteps: number): void {
    this.live.set(runId, { trial, totalSteps, rung: this.wb.store.sweeps.rungsReached(this.sweepId, trial) });
  }

  private refused(runId: number, trial: number, e: unknown): void {
    if (!this.live.delete(runId)) return;
    this.decide(trial, 'failed', e instanceof Error ? e.message : String(e));
  }

  private ended(r: RunSummary): void {
    const live = this.live.get(r.id)!;
    this.live.delete(r.id);
    const reason = this.early.get(r.id);
    this.early.delete(r.id);
    if (r.status === 'completed') this.decide(live.trial, 'completed', null);
    else if (reason !== undefined) {
      this.wb.store.updateRun(r.id, { endMessage: reason });
      this.onUpdate(null); // its outcome was reported when it was decided
    } else if (r.status === 'diverged' || r.status === 'failed' || r.status === 'crashed')
      this.decide(live.trial, 'failed', r.endMessage ?? r.status);
    else this.onUpdate(this.trial(live.trial)); // stopped, interrupted or back to created: left to resume
  }

  /** ASHA on the run's new metrics: at each rung it reaches, record its value and stop it unless it is among the best. */
  private earlyStop(runId: number, steps: StepMetrics[], evals: EvalMetrics[]): void {
    const es = this.spec.earlyStopping;
    const live = this.live.get(runId)!;
    if (!es || this.early.has(runId)) return;
    const points = es.metric === 'loss' ? steps.map((s) => [s.step, s.loss]) : evals.map((e) => [e.step, e.validationLoss]);
    for (const [step, value] of points) {
      for (;;) {
        const at = rungStep(es.minSteps, es.reductionFactor, live.rung);
        if (step < at || at >= live.totalSteps) break;
        const sweeps = this.wb.store.sweeps;
        sweeps.recordRung(this.sweepId, live.trial, live.rung, step, value);
        const values = sweeps.rungValues(this.sweepId, live.rung);
        if (!promotes(value, values, es.reductionFactor)) {
          const reason = earlyStopReason(
            this.sweepId,
            { rung: live.rung, step, metric: es.metric, value },
            es.reductionFactor,
            values.length,
          );
          this.decide(live.trial, 'stopped-early', reason);
          this.early.set(runId, reason);
          void this.wb.manager.stop(runId).catch(() => undefined); // it ended on its own meanwhile
          return;
        }
        live.rung++;
      }
    }
  }

  private decide(trial: number, outcome: TrialOutcome, reason: string | null): void {
    this.wb.store.sweeps.setOutcome(this.sweepId, trial, outcome, reason);
    this.onUpdate(this.trial(trial));
  }

  private trial(trial: number): TrialRow {
    return this.wb.store.sweeps.trials(this.sweepId).find((t) => t.trial === trial)!;
  }
}
