// The run lifecycle: create, queue, start, pause, resume, stop, fork and
// delete runs, each training in its own worker process, with at most
// `maxConcurrent` at once. Every progress batch is written to the store in
// one transaction, in arrival order (write-queue.ts); a worker that dies
// leaves its run 'crashed' with everything written so far, and a store that
// cannot take a batch ends the run 'failed' with what to do; either way it
// resumes from its latest snapshot.
//
// Several processes share one database (the app, `serve`, CLI runs). A run
// this manager queues is claimed for this process (run_owners, kept alive by
// a heartbeat); runs other live processes train are followed through the
// database (follower.ts), never marked interrupted, and stopped or paused
// by leaving their owner a request, which its manager picks up on its next
// tick. Runs whose owner died are marked interrupted by whichever process
// notices first.

import type { CostEstimate, EvalMetrics, RunConfig, RunRecord, RunStatus, RunSummary, StepMetrics } from '../../common/contract';
import { checkConfig } from '../../native-worker/engine-api';
import type { OwnerRequest } from '../store/owners';
import type { Store } from '../store/store';
import { ACTIVE_STATUSES, ENDED_STATUSES as ENDED } from '../../common/statuses';
import type { WorkerChannel } from '../worker-host/channel';
import { WorkerError } from '../worker-host/host';
import { launchRun, type Active } from './launch';
import { ApiError } from './errors';
import { Elsewhere } from './elsewhere';
import { Follower } from './follower';
import { forkRun } from './fork';
import { defaultName } from './names';
import { runWasDeleted, storeFaultMessage } from './store-faults';
import { isBusy } from './write-queue';

export interface RunManagerOptions {
  store: Store;
  /** Starts a fresh worker process. */
  spawn: () => WorkerChannel;
  appVersion: string;
  maxConcurrent: number;
  /** How often a worker sends progress (ms). */
  progressEveryMs?: number;
  /** How often this process beats its heartbeat, takes requests and follows other processes' runs (ms; default 500). */
  pollMs?: number;
  /** How long a run's writes may be locked out by another program before the run fails (ms; default 30 s). */
  busyDeadlineMs?: number;
  /** How long to wait for another process to act on a stop, pause or resume request (ms; default 15 s). */
  requestTimeoutMs?: number;
}

export interface ManagerEvents {
  changed: RunSummary;
  deleted: { id: number };
  progress: { id: number; steps: StepMetrics[]; evals: EvalMetrics[] };
}

export class RunManager {
  private readonly store: Store;
  private readonly active = new Map<number, Active>();
  private readonly queue: number[] = [];
  private readonly listeners: { [K in keyof ManagerEvents]: ((e: ManagerEvents[K]) => void)[] } = {
    changed: [],
    deleted: [],
    progress: [],
  };
  private readonly follower: Follower;
  private readonly elsewhere: Elsewhere;
  /** Runs that failed on a store fault whose status the store has not yet taken: id → end message. */
  private readonly unrecorded = new Map<number, string>();
  private lastHeartbeat = 0;
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly pollMs: number;
  private readonly busyDeadlineMs: number;
  readonly maxConcurrent: number;

  constructor(private readonly options: RunManagerOptions) {
    this.store = options.store;
    this.maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent));
    this.pollMs = options.pollMs ?? 500;
    this.busyDeadlineMs = options.busyDeadlineMs ?? 30_000;
    this.elsewhere = new Elsewhere(this.store, this.pollMs, options.requestTimeoutMs ?? 15_000);
    this.follower = new Follower(this.store, (id) => this.active.has(id) || this.queue.includes(id), {
      changed: (s) => this.emit('changed', s),
      progress: (p) => this.emit('progress', p),
      deleted: (p) => this.emit('deleted', p),
    });
    this.ticker = setInterval(() => this.tick(), this.pollMs);
    this.ticker.unref();
  }

  on<K extends keyof ManagerEvents>(event: K, listener: (e: ManagerEvents[K]) => void): () => void {
    const list = this.listeners[event] as ((e: ManagerEvents[K]) => void)[];
    list.push(listener);
    return () => list.splice(list.indexOf(listener) >>> 0, 1);
  }

  /** Runs a dead process left queued, running or paused become 'interrupted' (at start-up, then on every tick). */
  recover(): number[] {
    const ids = this.store.markInterrupted();
    for (const id of ids) this.emitChanged(id);
    return ids;
  }

  /** Validate a config (defaults filled) and check its task settings and memory needs, from sizes: the task's data is never built here. */
  check(raw: unknown): { config: RunConfig; estimate: CostEstimate } {
    return checkConfig(raw);
  }

  create(input: { config: unknown; name: string | null; tags?: string[]; notes?: string }): RunRecord {
    const { config } = this.check(input.config);
    const name = input.name?.trim() || defaultName(this.store, config);
    return this.store.createRun({ name, config, appVersion: this.options.appVersion, tags: input.tags ?? [], notes: input.notes ?? '' });
  }

  /** Queue a created run; it starts as soon as a slot is free. */
  start(id: number): RunSummary {
    const run = this.mustGet(id);
    if (run.status !== 'created')
      throw new ApiError('bad-state', `run ${id} is ${run.status}; only a new run can be started (resume an ended one)`);
    return this.enqueue(id);
  }

  pause(id: number): Promise<RunSummary> {
    if (!this.active.has(id) && this.elsewhere.owns(id)) return this.elsewhere.ask(id, 'pause', (s) => s !== 'running' && s !== 'queued');
    return this.withActive(id, 'pause', async (a) => {
      await a.host.pause();
      return this.setStatus(id, 'paused');
    });
  }

  /**
   * A paused run continues. An ended run (stopped, crashed, interrupted,
   * diverged, failed or completed) restarts from its latest snapshot as the
   * same run, its metrics after that snapshot dropped and recomputed;
   * `steps` raises its total step count.
   */
  async resume(id: number, steps: number | null = null): Promise<RunSummary> {
    const run = this.mustGet(id);
    const a = this.active.get(id);
    if (!a && run.status === 'paused' && this.elsewhere.owns(id)) {
      if (steps !== null) throw new ApiError('bad-state', 'stop the run before changing its step count');
      return this.elsewhere.ask(id, 'resume', (s) => s !== 'paused');
    }
    this.elsewhere.refuse(id, 'resume');
    if (a && run.status === 'paused') {
      if (steps !== null) throw new ApiError('bad-state', 'stop the run before changing its step count');
      await a.host.resume();
      return this.setStatus(id, 'running');
    }
    if (!ENDED.includes(run.status)) throw new ApiError('bad-state', `run ${id} is ${run.status}; there is nothing to resume`);
    // Everything is checked before anything is written: a refused resume changes nothing.
    const config = steps === null ? null : this.check({ ...run.config, training: { ...run.config.training, steps } }).config;
    const total = steps ?? run.config.training.steps;
    const checkpoint = this.store.latestCheckpoint(id);
    if (checkpoint && checkpoint.step >= total)
      throw new ApiError('bad-state', `run ${id} has already trained ${checkpoint.step} of ${total} steps; resume with more steps`);
    this.store.atomically(() => {
      if (config) this.store.updateRun(id, { config });
      // without a snapshot (a run killed before its first progress batch) it starts over from its seed
      this.store.truncateAfter(id, checkpoint?.step ?? -1);
      this.store.updateRun(id, { endMessage: null });
    });
    return this.enqueue(id);
  }

  async stop(id: number): Promise<RunSummary> {
    const run = this.mustGet(id);
    const qi = this.queue.indexOf(id);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      this.leave(id, run.lastStep === null ? 'created' : 'stopped', null);
      return this.mustGet(id);
    }
    const a = this.active.get(id);
    if (a && !a.started) {
      // its worker is still starting (seconds, on a loaded machine): the run is never started
      a.cancelled = true;
      await a.done;
      return this.mustGet(id);
    }
    if (!a) {
      if (this.elsewhere.owns(id)) return this.elsewhere.ask(id, 'stop', (s) => !ACTIVE_STATUSES.includes(s));
      if (ACTIVE_STATUSES.includes(run.status)) this.recover(); // its owner died: it is interrupted now
      throw new ApiError('bad-state', `run ${id} is ${this.mustGet(id).status}; it is not training`);
    }
    try {
      await a.host.stop();
    } catch (e) {
      // The run ended on its own (completed, diverged, its worker died) while the stop was on its way:
      // the worker had no run to stop, or had already exited. The run is kept as it ended.
      if (!(e instanceof WorkerError && (e.code === 'not-running' || e.code === 'worker-exited'))) throw e;
    }
    await a.done;
    return this.mustGet(id);
  }

  snapshot(id: number): Promise<void> {
    return this.withActive(id, 'snapshot', (a) => a.host.snapshot());
  }

  setLr(id: number, lr: number): Promise<void> {
    if (!(lr > 0) || !Number.isFinite(lr))
      return Promise.reject(new ApiError('invalid-argument', `lr: must be a positive finite number, got ${lr}`));
    return this.withActive(id, 'change the learning rate of', (a) => a.host.setLr(lr));
  }

  async delete(id: number): Promise<void> {
    this.mustGet(id);
    this.elsewhere.refuse(id, 'delete');
    const qi = this.queue.indexOf(id);
    if (qi >= 0) this.queue.splice(qi, 1);
    const a = this.active.get(id);
    if (a) {
      a.ended = true; // a deliberate kill, not a crash
      a.host.kill();
      await a.done;
    }
    this.store.deleteRun(id);
    this.follower.forget(id);
    this.emit('deleted', { id });
  }

  /**
   * A new run that starts from a snapshot of another (the latest at or
   * before `step`) with a changed config (fork.ts).
   */
  fork(input: { id: number; step: number | null; config: unknown; name: string | null }): RunRecord {
    return forkRun(
      { store: this.store, check: (raw) => this.check(raw), appVersion: this.options.appVersion },
      this.mustGet(input.id),
      input,
    );
  }

  /** Stop every active run cleanly (app quit); runs still queued become 'stopped' or stay 'created'. */
  async shutdown(timeoutMs = 10_000): Promise<void> {
    clearInterval(this.ticker);
    for (const id of [...this.queue]) await this.stop(id);
    await Promise.all(
      [...this.active.entries()].map(async ([id, a]) => {
        const stopped = a.host.stop().then(
          () => a.done,
          () => a.done,
        );
        const late = new Promise<'late'>((r) => setTimeout(() => r('late'), timeoutMs).unref());
        if ((await Promise.race([stopped, late])) === 'late') {
          a.ended = true;
          a.host.kill();
          await a.done;
          this.leave(id, 'interrupted', 'the app quit before the worker stopped');
        }
      }),
    );
  }

  /** Runs training now or waiting for a slot, in start order. */
  get activeIds(): number[] {
    return [...this.active.keys()];
  }

  private enqueue(id: number): RunSummary {
    const summary = this.store.claimRun(id, 'queued');
    this.queue.push(id);
    this.emit('changed', summary);
    this.pump();
    return this.active.has(id) ? this.mustGet(id) : summary;
  }

  private pump(): void {
    while (this.active.size < this.maxConcurrent && this.queue.length > 0) {
      const id = this.queue.shift()!;
      try {
        this.launch(id);
      } catch (e) {
        // the store refused to mark it running: locked by another program for now, else gone or broken
        this.active.delete(id);
        if (isBusy(e)) {
          this.queue.unshift(id);
          setTimeout(() => this.pump(), this.pollMs).unref();
          return;
        }
        this.fault(id, null, e);
      }
    }
  }

  private launch(id: number): void {
    const a = launchRun(
      {
        store: this.store,
        spawn: this.options.spawn,
        progressEveryMs: this.options.progressEveryMs ?? 100,
        busyDeadlineMs: this.busyDeadlineMs,
        setRunning: (x) => this.setStatus(x, 'running'),
        leave: (x, status, message) => this.leave(x, status, message),
        fault: (x, active, e) => this.fault(x, active, e),
        emit: (event: keyof ManagerEvents, payload: never) => this.emit(event, payload),
        left: (x) => {
          this.active.delete(x);
          this.pump();
        },
      },
      this.mustGet(id),
    );
    this.active.set(id, a);
  }

  /** Record how a run left its worker (once), and let it go; nothing is written to a run deleted or taken over meanwhile. */
  private leave(id: number, status: RunStatus, message: string | null): void {
    const summary = this.store.releaseRun(id, { status, endMessage: message });
    if (summary) this.emit('changed', summary);
  }

  /**
   * The store could not take the run's writes: stop its worker and end it
   * 'failed' with what to do, or, when even that cannot be written, tell
   * the listeners anyway (the row stays active under this process until it
   * exits, and is marked interrupted by the next process that looks).
   */
  private fault(id: number, a: Active | null, e: unknown): void {
    if (a) {
      a.ended = true;
      a.host.kill();
    }
    if (runWasDeleted(e)) {
      this.follower.forget(id);
      this.emit('deleted', { id });
      return;
    }
    const endMessage = storeFaultMessage(e, { path: this.store.path, runId: id, busyDeadlineMs: this.busyDeadlineMs });
    this.unrecorded.set(id, endMessage);
    this.recordFailures();
    if (this.unrecorded.has(id)) {
      const last = a?.summary ?? this.store.getSummary(id);
      if (last) this.emit('changed', { ...last, status: 'failed', endMessage });
    }
  }

  /** Writes the 'failed' status of runs whose fault kept it from being written (retried every tick until the store takes it). */
  private recordFailures(): void {
    for (const [id, endMessage] of this.unrecorded) {
      try {
        const summary = this.store.releaseRun(id, { status: 'failed', endMessage });
        this.unrecorded.delete(id);
        if (summary) this.emit('changed', summary);
      } catch {
        return; // the store still refuses: next tick
      }
    }
  }

  /** Once a tick: the heartbeat, other processes' requests, runs of dead processes, and other processes' changes. */
  private tick(): void {
    const steps: (() => void)[] = [
      () => this.heartbeat(),
      () => this.recordFailures(),
      () => {
        for (const r of this.store.takeRequests()) this.onRequest(r.runId, r.request);
      },
      () => this.recover(),
      () => this.follower.poll(),
    ];
    // each on its own: a locked or full database skips this tick's step, and the next tick tries again
    for (const step of steps) {
      try {
        step();
      } catch {
        /* retried next tick */
      }
    }
  }

  /** About once a second while this process holds runs (a write, so not on every tick). */
  private heartbeat(): void {
    const now = Date.now();
    if (this.active.size + this.queue.length + this.unrecorded.size === 0 || now - this.lastHeartbeat < 1000) return;
    this.store.heartbeat();
    this.lastHeartbeat = now;
  }

  private onRequest(id: number, request: OwnerRequest): void {
    const act = request === 'stop' ? this.stop(id) : request === 'pause' ? this.pause(id) : this.resume(id);
    act.catch(() => undefined); // the run ended meanwhile; the requester sees its status
  }

  private emitChanged(id: number): void {
    const summary = this.store.getSummary(id);
    if (summary) this.emit('changed', summary);
  }

  private async withActive<T>(id: number, verb: string, f: (a: Active) => Promise<T>): Promise<T> {
    const run = this.mustGet(id);
    const a = this.active.get(id);
    if (!a) throw this.elsewhere.notHere(id, verb, run.status);
    return f(a);
  }

  private setStatus(id: number, status: RunStatus): RunSummary {
    const summary = this.store.updateRun(id, { status });
    this.emit('changed', summary);
    return summary;
  }

  private mustGet(id: number): RunRecord {
    const run = this.store.getRun(id);
    if (!run) throw new ApiError('no-such-run', `run ${id} does not exist`);
    return run;
  }

  private emit<K extends keyof ManagerEvents>(event: K, payload: ManagerEvents[K]): void {
    for (const l of [...(this.listeners[event] as ((e: ManagerEvents[K]) => void)[])]) l(payload);
  }
}
