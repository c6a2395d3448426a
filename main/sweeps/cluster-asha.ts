// Early stopping for a sweep on a cluster. Its trials train in array tasks
// that know nothing of each other, so the judging happens here, whenever
// `sweep status` or `sweep collect` looks: each open trial's metric is
// read from its own database on the shared folder, recorded at every rung
// it has passed (sweep_rungs, as a local sweep does), and a running trial
// that is not among the best 1/η at a rung gets its outcome, then is
// cancelled (scancel: its `train` stops cleanly and keeps its snapshot).
// The decision comes at the first look after the trial passed the rung,
// so a trial may train a little past it; a trial that already ended only
// records its values, for the others to be judged against.

import { Store } from '../store/store';
import { earlyStopReason, promotes, rungStep } from './asha';
import type { Scheduler, TaskState } from './slurm';
import type { EarlyStopping } from './spec';

/** A trial's metric at each step it has one, from its database, with its total steps; null before it has a run. */
function trialPoints(db: string, metric: EarlyStopping['metric']): { points: [number, number][]; totalSteps: number } | null {
  let store: Store;
  try {
    store = Store.openReadOnly(db);
  } catch {
    return null; // not there yet, or still being created by its task
  }
  try {
    const run = store.listRuns()[0];
    if (!run) return null;
    const points: [number, number][] =
      metric === 'loss'
        ? store.readSteps(run.id, 0, run.lastStep ?? 0).map((s) => [s.step, s.loss])
        : store.listEvalSteps(run.id).map((step) => [step, store.evalAt(run.id, step)?.validationLoss ?? Number.NaN]);
    return { points, totalSteps: run.totalSteps };
  } finally {
    store.close();
  }
}

/**
 * Records the rungs the sweep's open trials have passed and stops the
 * running ones that do not go on; returns the trials stopped now.
 */
export function judgeClusterTrials(
  s: { store: Store },
  sweepId: number,
  o: { es: EarlyStopping; job: string; tasks: Map<number, TaskState>; dbOf: (trial: number) => string; scheduler: Scheduler },
): number[] {
  const sweeps = s.store.sweeps;
  const { es } = o;
  const stopped: number[] = [];
  for (const t of sweeps.trials(sweepId)) {
    if (t.outcome !== null) continue;
    const got = trialPoints(o.dbOf(t.trial), es.metric);
    if (!got) continue;
    const running = o.tasks.get(t.trial)?.state === 'RUNNING';
    for (let rung = sweeps.rungsReached(sweepId, t.trial); ; rung++) {
      const at = rungStep(es.minSteps, es.reductionFactor, rung);
      const point = at < got.totalSteps ? got.points.find(([step]) => step >= at) : undefined;
      if (!point) break;
      const [step, value] = point;
      sweeps.recordRung(sweepId, t.trial, rung, step, value);
      const values = sweeps.rungValues(sweepId, rung);
      if (running && !promotes(value, values, es.reductionFactor)) {
        sweeps.setOutcome(
          sweepId,
          t.trial,
          'stopped-early',
          earlyStopReason(sweepId, { rung, step, metric: es.metric, value }, es.reductionFactor, values.length),
        );
        o.scheduler.cancel(o.job, t.trial);
        stopped.push(t.trial);
        break;
      }
    }
  }
  return stopped;
}
