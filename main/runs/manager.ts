// The run lifecycle: create, queue, start, pause, resume, stop, fork and
// delete runs, each training in its own worker process, with at most
// `maxConcurrent` at once. Every progress batch is written to the store in
// one transaction as it arrives; a worker that dies leaves its run 'crashed'
// with everything written so far, resumable from its latest snapshot.

import type { Checkpoint, EvalMetrics, RunConfig, RunRecord, RunStatus, RunSummary, StepMetrics } from '../contract';
import { ConfigError, parseConfig } from '../../native-worker/config';
import { createOptimizer } from '../../native-worker/engine/optim/optimizer';
import { layoutOf } from '../../native-worker/engine/params';
import { estimateCost } from '../../native-worker/estimate';
import { kernelKind } from '../../native-worker/engine/fast/workspace';
import { memoryError } from '../../native-worker/memory';
import { taskSizes } from '../../native-worker/tasks';
import type { Store } from '../store/store';
import type { WorkerChannel } from '../worker/channel';
import { WorkerError, WorkerHost } from '../worker/host';
import { ApiError } from './errors';

export interface RunManagerOptions {
  store: Store;
  /** Starts a fresh worker process. */
  spawn: () => WorkerChannel;
  appVersion: string;
  maxConcurrent: number;
  /** How often a worker sends progress (ms). */
  progressEveryMs?: number;
}

export interface ManagerEvents {
  changed: RunSummary;
  deleted: { id: number };
  progress: { id: number; steps: StepMetrics[]; evals: EvalMetrics[] };
}

const ENDED: readonly RunStatus[] = ['completed', 'stopped', 'crashed', 'interrupted', 'diverged', 'failed'];

interface Active {
  host: WorkerHost;
  /** Set once the worker reported 'ended' (so its exit is not a crash). */
  ended: boolean;
  /** Resolves when the run has left the worker, whatever the reason. */
  done: Promise<void>;
}

export class RunManager {
  private readonly store: Store;
  private readonly active = new Map<number, Active>();
  private readonly queue: number[] = [];
  private readonly listeners: { [K in keyof ManagerEvents]: ((e: ManagerEvents[K]) => void)[] } = { changed: [], deleted: [], progress: [] };
  readonly maxConcurrent: number;

  constructor(private readonly options: RunManagerOptions) {
    this.store = options.store;
    this.maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent));
  }

  on<K extends keyof ManagerEvents>(event: K, listener: (e: ManagerEvents[K]) => void): () => void {
    const list = this.listeners[event] as ((e: ManagerEvents[K]) => void)[];
    list.push(listener);
    return () => list.splice(list.indexOf(listener) >>> 0, 1);
  }

  /** At start-up: runs a dead process left queued, running or paused become 'interrupted'. */
  recover(): number[] {
    return this.store.markInterrupted();
  }

  /** Validate a config (defaults filled) and check its task settings and memory needs, from sizes: the task's data is never built here. */
  check(raw: unknown): { config: RunConfig; estimate: ReturnType<typeof estimateCost> } {
    const config = parseConfig(raw);
    const sizes = taskSizes(config.task);
    const estimate = estimateCost(config, sizes);
    const memory = memoryError(config, sizes, kernelKind());
    if (memory) throw memory;
    return { config, estimate };
  }

  create(input: { config: unknown; name: string | null; tags?: string[]; notes?: string }): RunRecord {
    const { config } = this.check(input.config);
    const name = input.name?.trim() || defaultName(config);
    return this.store.createRun({ name, config, appVersion: this.options.appVersion, tags: input.tags ?? [], notes: input.notes ?? '' });
  }

  /** Queue a created run; it starts as soon as a slot is free. */
  start(id: number): RunSummary {
    const run = this.mustGet(id);
    if (run.status !== 'created') throw new ApiError('bad-state', `run ${id} is ${run.status}; only a new run can be started (resume an ended one)`);
    return this.enqueue(id);
  }

  pause(id: number): Promise<RunSummary> {
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
    if (a && run.status === 'paused') {
      if (steps !== null) throw new ApiError('bad-state', 'stop the run before changing its step count');
      await a.host.resume();
      return this.setStatus(id, 'running');
    }
    if (!ENDED.includes(run.status)) throw new ApiError('bad-state', `run ${id} is ${run.status}; there is nothing to resume`);
    if (steps !== null) {
      const config = this.check({ ...run.config, training: { ...run.config.training, steps } }).config;
      this.store.updateRun(id, { config });
    }
    const total = steps ?? run.config.training.steps;
    const checkpoint = this.store.latestCheckpoint(id);
    if (checkpoint && checkpoint.step >= total) throw new ApiError('bad-state', `run ${id} has already trained ${checkpoint.step} of ${total} steps; resume with more steps`);
    this.store.truncateAfter(id, checkpoint?.step ?? 0);
    this.store.updateRun(id, { endMessage: null });
    return this.enqueue(id);
  }

  async stop(id: number): Promise<RunSummary> {
    const run = this.mustGet(id);
    const qi = this.queue.indexOf(id);
    if (qi >= 0) {
      this.queue.splice(qi, 1);
      return this.setStatus(id, run.lastStep === null ? 'created' : 'stopped');
    }
    const a = this.active.get(id);
    if (!a) throw new ApiError('bad-state', `run ${id} is ${run.status}; it is not training`);
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
    if (!(lr > 0) || !Number.isFinite(lr)) return Promise.reject(new ApiError('invalid-argument', `lr: must be a positive finite number, got ${lr}`));
    return this.withActive(id, 'change the learning rate of', (a) => a.host.setLr(lr));
  }

  async delete(id: number): Promise<void> {
    this.mustGet(id);
    const qi = this.queue.indexOf(id);
    if (qi >= 0) this.queue.splice(qi, 1);
    const a = this.active.get(id);
    if (a) {
      a.ended = true; // a deliberate kill, not a crash
      a.host.kill();
      await a.done;
    }
    this.store.deleteRun(id);
    this.emit('deleted', { id });
  }

  /**
   * A new run that starts from a snapshot of another (the latest at or
   * before `step`) with a changed config. The model's shape must stay the
   * same; a different optimizer starts with fresh moments.
   */
  fork(input: { id: number; step: number | null; config: unknown; name: string | null }): RunRecord {
    const src = this.mustGet(input.id);
    const checkpoint = input.step === null ? this.store.latestCheckpoint(src.id) : this.store.checkpointAt(src.id, input.step);
    if (!checkpoint) throw new ApiError('no-snapshot', `run ${src.id} has no snapshot${input.step === null ? '' : ` at or before step ${input.step}`}`);
    const { config, estimate } = this.check(input.config ?? src.config);
    const before = this.check(src.config).estimate;
    const a = src.config.model, b = config.model;
    if (estimate.m !== before.m || estimate.n !== before.n || a.hidden !== b.hidden || a.hiddenBias !== b.hiddenBias || a.outputBias !== b.outputBias) {
      throw new ConfigError([{ field: 'model', message: `a fork keeps the model's shape (m=${before.m}, d=${a.hidden}, n=${before.n}, biases ${a.hiddenBias}/${a.outputBias})` }]);
    }
    if (config.training.steps <= checkpoint.step) {
      throw new ConfigError([{ field: 'training.steps', message: `must be more than the snapshot's step ${checkpoint.step}` }]);
    }
    const run = this.store.createRun({
      name: input.name?.trim() || `${src.name} (fork @${checkpoint.step})`,
      config, appVersion: this.options.appVersion, tags: src.tags, notes: '',
      parentRunId: src.id, parentStep: checkpoint.step,
    });
    this.store.saveCheckpoint(run.id, adaptCheckpoint(checkpoint, src.config, config, estimate.m, estimate.n));
    return run;
  }

  /** Stop every active run cleanly (app quit); runs still queued become 'stopped' or stay 'created'. */
  async shutdown(timeoutMs = 10_000): Promise<void> {
    for (const id of [...this.queue]) await this.stop(id);
    await Promise.all([...this.active.entries()].map(async ([id, a]) => {
      const stopped = a.host.stop().then(() => a.done, () => a.done);
      const late = new Promise<'late'>((r) => setTimeout(() => r('late'), timeoutMs).unref());
      if ((await Promise.race([stopped, late])) === 'late') {
        a.host.kill();
        await a.done;
        this.store.updateRun(id, { status: 'interrupted', endMessage: 'the app quit before the worker stopped' });
      }
    }));
  }

  /** Runs training now or waiting for a slot, in start order. */
  get activeIds(): number[] {
    return [...this.active.keys()];
  }

  private enqueue(id: number): RunSummary {
    this.queue.push(id);
    const summary = this.setStatus(id, 'queued');
    this.pump();
    return this.active.has(id) ? this.mustGet(id) : summary;
  }

  private pump(): void {
    while (this.active.size < this.maxConcurrent && this.queue.length > 0) this.launch(this.queue.shift()!);
  }

  private launch(id: number): void {
    const run = this.mustGet(id);
    const checkpoint = this.store.latestCheckpoint(id);
    const host = new WorkerHost(this.options.spawn());
    let finish!: () => void;
    const a: Active = { host, ended: false, done: new Promise<void>((r) => (finish = r)) };
    this.active.set(id, a);
    this.setStatus(id, 'running');
    host.on('progress', (p) => {
      this.store.appendProgress(id, p);
      this.emit('progress', { id, steps: p.steps, evals: p.evals });
    });
    host.on('ended', (e) => {
      a.ended = true;
      if (e.checkpoint) this.store.saveCheckpoint(id, e.checkpoint);
      const status: RunStatus = e.reason === 'error' ? 'failed' : e.reason;
      this.leave(id, status, e.message);
      host.kill();
    });
    host.on('exit', (x) => {
      if (!a.ended) this.leave(id, 'crashed', `the training worker died (${x.detail}); resume continues from the latest snapshot`);
      this.active.delete(id);
      finish();
      this.pump();
    });
    host.ready
      .then((engineVersion) => {
        this.emit('changed', this.store.updateRun(id, { engineVersion }));
        return host.start(run.config, checkpoint, this.options.progressEveryMs ?? 100);
      })
      .catch((e: unknown) => {
        a.ended = true;
        this.leave(id, 'failed', e instanceof Error ? e.message : String(e));
        host.kill();
      });
  }

  /** Record how a run left its worker (once). */
  private leave(id: number, status: RunStatus, message: string | null): void {
    if (this.store.getRun(id) === null) return; // deleted meanwhile
    const summary = this.store.updateRun(id, { status, endMessage: message });
    this.emit('changed', summary);
  }

  private async withActive<T>(id: number, verb: string, f: (a: Active) => Promise<T>): Promise<T> {
    const run = this.mustGet(id);
    const a = this.active.get(id);
    if (!a) throw new ApiError('bad-state', `cannot ${verb} run ${id}: it is ${run.status}, not training`);
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

function defaultName(config: RunConfig): string {
  return `${config.task.kind} · ${config.method.kind} · d=${config.model.hidden}`;
}

/** The forked run's starting checkpoint: same weights, optimizer moments kept only when the optimizer is unchanged. */
function adaptCheckpoint(c: Checkpoint, from: RunConfig, to: RunConfig, m: number, n: number): Checkpoint {
  const sameOptimizer = JSON.stringify(from.training.optimizer) === JSON.stringify(to.training.optimizer);
  const layout = layoutOf({ m, d: to.model.hidden, n, hiddenBias: to.model.hiddenBias, outputBias: to.model.outputBias });
  return {
    ...c,
    baseLr: to.training.lr,
    optimizer: sameOptimizer ? c.optimizer : createOptimizer(to.training.optimizer, layout.size, to.training.weightDecay).getState(),
    carry: to.method.kind === 'rtrl-online' && from.method.kind === 'rtrl-online' ? c.carry : null,
  };
}
