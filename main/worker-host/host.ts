// The host side of one training worker: numbered requests with a map of
// pending calls (each settled by the worker's ack or nack, and all rejected
// when the worker exits), and typed events for everything the worker
// streams. A worker that dies becomes an 'exit' event with a reason; no
// exception escapes to the caller's event loop.

import type {
  Checkpoint,
  ConfigIssue,
  GradCheckReport,
  HostToWorker,
  LabJob,
  LabResult,
  RunConfig,
  RunTiming,
  WorkerToHost,
} from '../../common/contract';
import type { ExitInfo, WorkerChannel } from './channel';

/** 'interrupted': ended by SIGINT or SIGTERM from outside (a Ctrl-C while it was starting, a second one, a service manager). */
export type ExitReason = 'normal' | 'crashed' | 'killed' | 'interrupted';

export interface WorkerEvents {
  progress: Extract<WorkerToHost, { type: 'progress' }>;
  paused: Extract<WorkerToHost, { type: 'paused' }>;
  ended: Extract<WorkerToHost, { type: 'ended' }>;
  exit: { reason: ExitReason; detail: string; signal: string | null };
}

type Listener<K extends keyof WorkerEvents> = (event: WorkerEvents[K]) => void;

/** A request the worker refused, or could not answer because it died. */
export class WorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** A refused config's problems, field by field. */
    readonly issues?: ConfigIssue[],
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}

type Command = HostToWorker extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: WorkerError) => void;
}

export class WorkerHost {
  /** Resolves with the engine version once the worker is up. */
  readonly ready: Promise<string>;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners: { [K in keyof WorkerEvents]: Listener<K>[] } = { progress: [], paused: [], ended: [], exit: [] };
  private exitInfo: WorkerEvents['exit'] | null = null;
  private killedByUs = false;

  constructor(private readonly channel: WorkerChannel) {
    let onReady!: (v: string) => void;
    let onDead!: (e: WorkerError) => void;
    this.ready = new Promise<string>((resolve, reject) => {
      onReady = resolve;
      onDead = reject;
    });
    this.ready.catch(() => undefined);
    channel.onMessage((raw) => {
      const m = raw as WorkerToHost;
      switch (m?.type) {
        case 'ready':
          onReady(m.engineVersion);
          return;
        case 'ack':
          this.settle(m.seq, (p) => p.resolve(undefined));
          return;
        case 'nack':
          this.settle(m.seq, (p) => p.reject(new WorkerError(m.error.code, m.error.message, m.error.issues)));
          return;
        case 'gradcheck':
          this.settle(m.seq, (p) => p.resolve(m.report));
          return;
        case 'lab':
          this.settle(m.seq, (p) => p.resolve(m.result));
          return;
        case 'timed':
          this.settle(m.seq, (p) => p.resolve(m.timing));
          return;
        case 'progress':
        case 'paused':
        case 'ended':
          this.emit(m.type, m as never);
          return;
        default:
          return;
      }
    });
    channel.onExit((info) => {
      const event = this.describeExit(info);
      this.exitInfo = event;
      const err = new WorkerError('worker-exited', `the training worker exited (${event.detail}) before answering`);
      onDead(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.emit('exit', event);
    });
  }

  get pid(): number | null {
    return this.channel.pid;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  on<K extends keyof WorkerEvents>(event: K, listener: Listener<K>): () => void {
    const list = this.listeners[event] as Listener<K>[];
    list.push(listener);
    return () => {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    };
  }

  start(config: RunConfig, checkpoint: Checkpoint | null, progressEveryMs = 100): Promise<void> {
    return this.request({ type: 'start', config, checkpoint, progressEveryMs }) as Promise<void>;
  }
  pause(): Promise<void> {
    return this.request({ type: 'pause' }) as Promise<void>;
  }
  resume(): Promise<void> {
    return this.request({ type: 'resume' }) as Promise<void>;
  }
  stop(): Promise<void> {
    return this.request({ type: 'stop' }) as Promise<void>;
  }
  snapshot(): Promise<void> {
    return this.request({ type: 'snapshot' }) as Promise<void>;
  }
  setLr(lr: number): Promise<void> {
    return this.request({ type: 'set-lr', lr }) as Promise<void>;
  }
  gradCheck(config: RunConfig, checkpoint: Checkpoint | null): Promise<GradCheckReport> {
    return this.request({ type: 'gradcheck', config, checkpoint }) as Promise<GradCheckReport>;
  }

  /** A gradient-lab job (common/lab.ts); it blocks the worker until done, so it gets a worker of its own. */
  lab(job: LabJob): Promise<LabResult> {
    return this.request({ type: 'lab', job }) as Promise<LabResult>;
  }

  /** Time the config's first steps in this worker and project its whole run. */
  time(config: RunConfig): Promise<RunTiming> {
    return this.request({ type: 'time', config }) as Promise<RunTiming>;
  }

  /** Kill the process (a stuck or unwanted worker); pending calls are rejected. */
  kill(): void {
    this.killedByUs = true;
    this.channel.kill();
  }

  /** Resolves when the worker process has exited. */
  waitForExit(): Promise<WorkerEvents['exit']> {
    if (this.exitInfo) return Promise.resolve(this.exitInfo);
    return new Promise((resolve) => this.on('exit', resolve));
  }

  private request(command: Command): Promise<unknown> {
    if (this.exitInfo) return Promise.reject(new WorkerError('worker-exited', `the training worker has exited (${this.exitInfo.detail})`));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.channel.send({ ...command, seq } as HostToWorker);
    });
  }

  private settle(seq: number, f: (p: Pending) => void): void {
    const p = this.pending.get(seq);
    if (!p) return;
    this.pending.delete(seq);
    f(p);
  }

  private emit<K extends keyof WorkerEvents>(event: K, payload: WorkerEvents[K]): void {
    for (const l of [...(this.listeners[event] as Listener<K>[])]) l(payload);
  }

  private describeExit(info: ExitInfo): WorkerEvents['exit'] {
    const { signal } = info;
    if (this.killedByUs) return { reason: 'killed', detail: 'killed by the host', signal };
    if (info.code === 0) return { reason: 'normal', detail: 'exit code 0', signal };
    if (signal === 'SIGINT' || signal === 'SIGTERM') return { reason: 'interrupted', detail: `signal ${signal}`, signal };
    return { reason: 'crashed', detail: signal ? `signal ${signal}` : `exit code ${info.code}`, signal };
  }
}
