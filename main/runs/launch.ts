// Launching a run in a worker of its own: the worker's progress written in
// arrival order through the run's write queue, and how the run leaves the
// worker (ended, crashed, stopped while starting, failed to start) recorded
// once. The run manager (manager.ts) queues runs and calls this.

import type { EvalMetrics, RunRecord, RunStatus, RunSummary, StepMetrics } from '../../common/contract';
import type { Store } from '../store/store';
import type { WorkerChannel } from '../worker-host/channel';
import { WorkerHost } from '../worker-host/host';
import { WriteQueue } from './write-queue';

export interface Active {
  host: WorkerHost;
  /** The run's store writes, in order. */
  writes: WriteQueue;
  /** The run as it was launched, for reporting a fault the store cannot record. */
  summary: RunSummary;
  /** Set once the worker reported 'ended' (so its exit is not a crash). */
  ended: boolean;
  /** Resolves when the run has left the worker, whatever the reason. */
  done: Promise<void>;
  /** The worker has been told to start the run (a stop sent before that would find no run to stop). */
  started: boolean;
  /** Stopped while its worker was still starting: it is never started. */
  cancelled: boolean;
}

/** What a launch needs of its manager. */
export interface LaunchContext {
  store: Store;
  spawn: () => WorkerChannel;
  progressEveryMs: number;
  busyDeadlineMs: number;
  /** Mark the run running and return it. */
  setRunning(id: number): RunSummary;
  /** Record how the run left its worker. */
  leave(id: number, status: RunStatus, message: string | null): void;
  /** The store could not take the run's writes. */
  fault(id: number, a: Active, e: unknown): void;
  emit(event: 'progress', payload: { id: number; steps: StepMetrics[]; evals: EvalMetrics[] }): void;
  emit(event: 'changed', payload: RunSummary): void;
  /** The run has left its worker and every write is done. */
  left(id: number): void;
}

/** Start a queued run in a fresh worker from its latest snapshot. */
export function launchRun(ctx: LaunchContext, run: RunRecord): Active {
  const id = run.id;
  const checkpoint = ctx.store.latestCheckpoint(id);
  const summary = ctx.setRunning(id);
  const host = new WorkerHost(ctx.spawn());
  let finish!: () => void;
  const a: Active = {
    host,
    summary,
    ended: false,
    done: new Promise<void>((r) => (finish = r)),
    started: false,
    cancelled: false,
    writes: new WriteQueue({ retryMs: 20, busyDeadlineMs: ctx.busyDeadlineMs, onFault: (e) => ctx.fault(id, a, e) }),
  };
  host.on('progress', (p) =>
    a.writes.push(() => {
      ctx.store.asOwner(id, () => ctx.store.appendProgress(id, p));
      ctx.emit('progress', { id, steps: p.steps, evals: p.evals });
    }),
  );
  host.on('ended', (e) => {
    a.ended = true;
    // the final snapshot and the status in one transaction: a kill between them would leave a finished run
    // looking interrupted, with nothing left to resume
    a.writes.push(() =>
      ctx.store.asOwner(id, () => {
        if (e.checkpoint) ctx.store.saveCheckpoint(id, e.checkpoint);
        ctx.leave(id, e.reason === 'error' ? 'failed' : e.reason, e.message);
      }),
    );
    host.kill();
  });
  let ready = false;
  host.on('exit', (x) => {
    if (!a.ended) {
      a.ended = true; // recorded here, once: the rejected calls that follow must not record it again
      // only a real crash (or SIGKILL) is 'crashed'; a worker signalled to stop (Ctrl-C while it was starting) was stopped
      const end: [RunStatus, string] =
        x.reason === 'interrupted'
          ? [
              'stopped',
              `the training worker was stopped (${x.detail}) before it could save a final snapshot; resume continues from the latest snapshot`,
            ]
          : ready || x.signal !== null // killed (SIGKILL), even while starting, is a crash; an exit code before ready is a failure to start
            ? ['crashed', `the training worker died (${x.detail}); resume continues from the latest snapshot`]
            : ['failed', `the training worker exited (${x.detail}) before it started`];
      a.writes.push(() => ctx.leave(id, ...end));
    }
    void a.writes.idle().then(() => {
      finish();
      ctx.left(id);
    });
  });
  host.ready
    .then((engineVersion) => {
      ready = true;
      if (a.cancelled) {
        a.ended = true;
        a.writes.push(() => ctx.leave(id, run.lastStep === null ? 'created' : 'stopped', null));
        host.kill();
        return;
      }
      a.started = true;
      a.writes.push(() => ctx.emit('changed', ctx.store.updateRun(id, { engineVersion })));
      return host.start(run.config, checkpoint, ctx.progressEveryMs);
    })
    .catch((e: unknown) => {
      if (a.ended) return; // its exit is recorded
      a.ended = true;
      a.writes.push(() => ctx.leave(id, 'failed', e instanceof Error ? e.message : String(e)));
      host.kill();
    });
  return a;
}
