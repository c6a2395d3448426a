// The shapes the Store takes in. What it hands out (runs, series points,
// snapshots) is declared in the contract, which the renderer shares.

import type { Checkpoint, EvalMetrics, RunConfig, RunStatus, StepMetrics } from '../../common/contract';

export type { RunFilter, RunRecord, RunStatus, RunSummary, SeriesPoints, SnapshotInfo, StoredGradCheck } from '../../common/contract';

export interface NewRun {
  name: string;
  config: RunConfig;
  appVersion: string;
  engineVersion?: string | null;
  status?: RunStatus;
  tags?: string[];
  notes?: string;
  parentRunId?: number | null;
  parentStep?: number | null;
}

export interface RunPatch {
  name?: string;
  /** A new config (resuming with more steps); the caller has validated it. */
  config?: RunConfig;
  status?: RunStatus;
  tags?: string[];
  notes?: string;
  engineVersion?: string | null;
  endMessage?: string | null;
}

/** One `progress` message from the worker, as main persists it. */
export interface ProgressBatch {
  steps: readonly StepMetrics[];
  evals: readonly EvalMetrics[];
  checkpoints: readonly Checkpoint[];
}

export interface ReadSeriesOptions {
  /** First step of the range (inclusive); default: the start of the run. */
  from?: number;
  /** Last step of the range (inclusive); default: the end of the run. */
  to?: number;
  /** At most this many points come back; at least 4. */
  maxPoints: number;
}
