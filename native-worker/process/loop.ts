// The worker's message loop: it receives the host's commands, drives one
// Trainer a slice of steps at a time (yielding to the event loop so pause,
// stop and set-lr arrive promptly), and streams progress in numbered
// batches. No exception leaves this file: every failure becomes a message.

import { z } from 'zod';
import type { Checkpoint, EvalMetrics, HostToWorker, LabJob, LabResult, RunEndReason, StepMetrics, WireError } from '../../common/contract';
import { timeRun } from '../calibrate';
import { ConfigError, parseConfig } from '../config';
import { runLabJob } from '../engine/lab/index';
import { kernelKind } from '../engine/fast/workspace';
import { HealthWatch } from '../health-watch';
import type { Port } from './port';
import { DivergedError, Trainer } from '../trainer';
import { ENGINE_VERSION } from '../version';

const seq = z.number().int();
/** A bad config throws its ConfigError out of the parse: the host hears 'invalid-config' with the issues. */
const config = z.unknown().transform((raw) => parseConfig(raw));
/** Its contents are checked as the Trainer restores them. */
const checkpoint = z.custom<Checkpoint>((v) => typeof v === 'object' && v !== null, 'must be a checkpoint').nullable();

const stored = z.custom<StepMetrics>((v) => typeof v === 'object' && v !== null, 'must be a step record');
const labJob = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inspect'), config, checkpoint: checkpoint.unwrap() }),
  z.object({ kind: z.literal('referee'), config, checkpoint: checkpoint.unwrap() }),
  z.object({ kind: z.literal('replay'), config, checkpoint, step: z.number().int().min(1), stored }),
]);

/** The host's messages; what the schema outputs is the contract's HostToWorker, so the two cannot drift apart. */
const message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), seq, config, checkpoint, progressEveryMs: z.number().min(0) }),
  z.object({ type: z.literal('pause'), seq }),
  z.object({ type: z.literal('resume'), seq }),
  z.object({ type: z.literal('stop'), seq }),
  z.object({ type: z.literal('snapshot'), seq }),
  z.object({ type: z.literal('set-lr'), seq, lr: z.number().positive() }),
  z.object({ type: z.literal('gradcheck'), seq, config, checkpoint }),
  z.object({ type: z.literal('lab'), seq, job: labJob }),
  z.object({ type: z.literal('time'), seq, config }),
]) satisfies z.ZodType<HostToWorker>;

/** How long one slice of training runs before the loop yields to incoming messages. */
const SLICE_MS = 15;

type State = 'idle' | 'running' | 'paused';

export class WorkerLoop {
  private state: State = 'idle';
  private trainer: Trainer | null = null;
  private watch: HealthWatch | null = null;
  private batchNo = 0;
  private steps: StepMetrics[] = [];
  private evals: EvalMetrics[] = [];
  private checkpoints: Checkpoint[] = [];
  private progressEveryMs = 100;
  private lastFlush = 0;

  constructor(private readonly port: Port) {
    port.onMessage((raw) => this.handle(raw));
    // the kernels go with the version: they decide a run's speed and its last bits
    port.post({ type: 'ready', engineVersion: `${ENGINE_VERSION} (${kernelKind()} kernels)` });
  }

  private handle(raw: unknown): void {
    const seq =
      typeof raw === 'object' && raw !== null && typeof (raw as { seq?: unknown }).seq === 'number' ? (raw as { seq: number }).seq : -1;
    try {
      const parsed = message.safeParse(raw);
      if (!parsed.success) {
        this.port.post({
          type: 'nack',
          seq,
          error: { code: 'bad-message', message: `worker: ${parsed.error.issues[0]?.message ?? 'malformed message'}` },
        });
        return;
      }
      this.dispatch(parsed.data);
    } catch (e) {
      this.port.post({ type: 'nack', seq, error: wireError(e) });
    }
  }

  private dispatch(msg: HostToWorker): void {
    const busy = this.state !== 'idle';
    switch (msg.type) {
      case 'start': {
        if (busy) throw new LoopError('busy', 'a run is already active in this worker');
        this.trainer = new Trainer(msg.config, msg.checkpoint);
        this.watch = new HealthWatch(this.trainer);
        this.progressEveryMs = msg.progressEveryMs;
        this.state = 'running';
        this.ack(msg.seq);
        // a new run is resumable from its first moment: a snapshot of its initial weights with its step-0 eval
        if (msg.checkpoint === null) {
          this.evaluate();
          this.checkpoints.push(this.trainer.checkpoint());
        }
        this.schedule();
        return;
      }
      case 'pause':
        if (this.state !== 'running') throw new LoopError('not-running', 'no run is training');
        this.state = 'paused';
        this.ack(msg.seq);
        this.flush();
        this.port.post({ type: 'paused', step: this.trainer!.step });
        return;
      case 'resume':
        if (this.state !== 'paused') throw new LoopError('not-paused', 'no run is paused');
        this.state = 'running';
        this.ack(msg.seq);
        this.schedule();
        return;
      case 'stop':
        if (!busy) throw new LoopError('not-running', 'no run is active');
        this.ack(msg.seq);
        this.end('stopped', null);
        return;
      case 'snapshot':
        if (!busy) throw new LoopError('not-running', 'no run is active');
        this.checkpoints.push(this.trainer!.checkpoint());
        this.ack(msg.seq);
        this.flush();
        return;
      case 'set-lr':
        if (!busy) throw new LoopError('not-running', 'no run is active');
        this.trainer!.setLr(msg.lr);
        // a snapshot at the change keeps it (the step and the new rate) for forks and comparisons
        this.checkpoints.push(this.trainer!.checkpoint());
        this.ack(msg.seq);
        this.flush();
        return;
      case 'gradcheck': {
        if (busy) throw new LoopError('busy', 'a run is active in this worker; check gradients in another');
        const report = new Trainer(msg.config, msg.checkpoint).gradCheck();
        this.port.post({ type: 'gradcheck', seq: msg.seq, report });
        return;
      }
      case 'lab':
        if (busy) throw new LoopError('busy', 'a run is active in this worker; run the lab in another');
        this.port.post({ type: 'lab', seq: msg.seq, result: labResult(msg.job) });
        return;
      case 'time':
        if (busy) throw new LoopError('busy', 'a run is active in this worker; time a config in another');
        this.port.post({ type: 'timed', seq: msg.seq, timing: timeRun(msg.config) });
        return;
    }
  }

  /** A signal to this process: end the active run as stopped, with its final snapshot (the host kills us after). False when no run was active. */
  interrupt(signal: string): boolean {
    if (this.state === 'idle') return false;
    this.end('stopped', `stopped by ${signal}; resume continues from here`);
    return true;
  }

  private ack(seq: number): void {
    this.port.post({ type: 'ack', seq });
  }

  private schedule(): void {
    setImmediate(() => this.slice());
  }

  /** Train for about SLICE_MS, then yield. */
  private slice(): void {
    if (this.state !== 'running') return;
    const trainer = this.trainer!;
    const watch = this.watch!;
    const { evalEvery, snapshotEvery } = trainer.config.training;
    const until = performance.now() + SLICE_MS;
    try {
      do {
        const metrics = trainer.runStep();
        this.steps.push(metrics);
        const changed = watch.step(metrics);
        const k = trainer.step;
        // a change of health is recorded as an evaluation of its own
        if ((k % evalEvery === 0 || changed) && !trainer.done) this.evaluate();
        if (snapshotEvery > 0 && k % snapshotEvery === 0 && !trainer.done) this.checkpoints.push(trainer.checkpoint());
      } while (!trainer.done && performance.now() < until);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof DivergedError)) return this.end('error', message);
      // the weights kept (the last finite ones, or those whose loss outgrew its best) and the health that warned of it
      this.evaluate();
      return this.end('diverged', watch.divergedMessage(message));
    }
    if (trainer.done) {
      this.evaluate();
      this.end('completed', null);
      return;
    }
    if (performance.now() - this.lastFlush >= this.progressEveryMs) this.flush();
    this.schedule();
  }

  private evaluate(): void {
    const e = this.watch!.evaluate();
    if (e) this.evals.push(e);
  }

  private flush(): void {
    this.lastFlush = performance.now();
    if (this.steps.length === 0 && this.evals.length === 0 && this.checkpoints.length === 0) return;
    this.port.post({ type: 'progress', batch: this.batchNo++, steps: this.steps, evals: this.evals, checkpoints: this.checkpoints });
    this.steps = [];
    this.evals = [];
    this.checkpoints = [];
  }

  private end(reason: RunEndReason, message: string | null): void {
    const trainer = this.trainer!;
    this.flush();
    let checkpoint: Checkpoint | null = null;
    try {
      checkpoint = trainer.checkpoint();
    } catch (e) {
      message = `${message ?? ''} (no checkpoint: ${e instanceof Error ? e.message : String(e)})`.trim();
    }
    this.port.post({ type: 'ended', reason, step: trainer.step, message, checkpoint });
    this.state = 'idle';
    this.trainer = null;
    this.watch = null;
  }
}

/** A lab job's result; what stops it (a model over rtrlMemoryLimit, a bad snapshot) comes back as 'lab-failed' with its message. */
function labResult(job: LabJob): LabResult {
  try {
    return runLabJob(job);
  } catch (e) {
    throw new LoopError('lab-failed', e instanceof Error ? e.message : String(e));
  }
}

class LoopError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function wireError(e: unknown): WireError {
  if (e instanceof ConfigError) return { code: 'invalid-config', message: e.message, issues: e.issues };
  if (e instanceof LoopError) return { code: e.code, message: e.message };
  if (e instanceof RangeError) return { code: 'invalid-checkpoint', message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
