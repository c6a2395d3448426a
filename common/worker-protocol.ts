// The messages between a training worker and its host (main/worker-host/
// and native-worker/process/): commands with a sequence number, answered by
// ack or nack, and the worker's own progress, pause and end reports.

import type { Checkpoint, EvalMetrics, GradCheckReport, RunTiming, StepMetrics, WireError } from './contract';
import type { LabJob, LabResult } from './lab';
import type { RunConfig } from './run-config';

export type RunEndReason = 'completed' | 'stopped' | 'diverged' | 'error';

export type HostToWorker =
  | { type: 'start'; seq: number; config: RunConfig; checkpoint: Checkpoint | null; progressEveryMs: number }
  | { type: 'pause'; seq: number }
  | { type: 'resume'; seq: number }
  | { type: 'stop'; seq: number }
  | { type: 'snapshot'; seq: number }
  | { type: 'set-lr'; seq: number; lr: number }
  /** Check the gradients at a checkpoint's weights (or the config's initial ones) on training batch `step`. */
  | { type: 'gradcheck'; seq: number; config: RunConfig; checkpoint: Checkpoint | null }
  /** A gradient-lab computation (common/lab.ts). */
  | { type: 'lab'; seq: number; job: LabJob }
  /** Time the config's first steps and project its run (config:time). */
  | { type: 'time'; seq: number; config: RunConfig };

export type WorkerToHost =
  /** engineVersion: the engine's version and the kernels this worker computes with, e.g. "0.1.0 (native kernels)". */
  | { type: 'ready'; engineVersion: string }
  | { type: 'ack'; seq: number }
  | { type: 'nack'; seq: number; error: WireError }
  | {
      type: 'progress';
      /** Increases by one per batch, so the host can see a lost batch. */
      batch: number;
      steps: StepMetrics[];
      evals: EvalMetrics[];
      checkpoints: Checkpoint[];
    }
  | { type: 'paused'; step: number }
  | { type: 'gradcheck'; seq: number; report: GradCheckReport }
  | { type: 'lab'; seq: number; result: LabResult }
  | { type: 'timed'; seq: number; timing: RunTiming }
  /** checkpoint: the last finite weights (null only when the run failed before it had weights). */
  | { type: 'ended'; reason: RunEndReason; step: number; message: string | null; checkpoint: Checkpoint | null };
